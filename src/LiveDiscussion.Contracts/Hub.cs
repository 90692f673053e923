namespace LiveDiscussion.Contracts;

/// <summary>Where the hub listens and what its methods are called, for clients that invoke them by name.</summary>
public static class DiscussionHubContract
{
    public const string Path = "/hubs/discussion";

    /// <summary>The largest message the hub accepts from a client, in bytes (SignalR's default, said out loud).</summary>
    public const int MaximumReceiveMessageSize = 32 * 1024;

    // Client to server.
    public const string WatchThread = nameof(WatchThread);
    public const string UnwatchThread = nameof(UnwatchThread);
    public const string WatchThreadList = nameof(WatchThreadList);
    public const string UnwatchThreadList = nameof(UnwatchThreadList);
    public const string PostReply = nameof(PostReply);
    public const string EditReply = nameof(EditReply);
    public const string DeleteReply = nameof(DeleteReply);
    public const string SetTyping = nameof(SetTyping);
    public const string CloseThread = nameof(CloseThread);
    public const string ReopenThread = nameof(ReopenThread);
    public const string HideReply = nameof(HideReply);
    public const string RestoreReply = nameof(RestoreReply);
    public const string FlagReply = nameof(FlagReply);
    public const string SetSlowMode = nameof(SetSlowMode);

    // Server to client: the methods of IDiscussionClient.
    public const string ThreadEvent = nameof(IDiscussionClient.ThreadEvent);
    public const string TypingChanged = nameof(IDiscussionClient.TypingChanged);
    public const string ViewersChanged = nameof(IDiscussionClient.ViewersChanged);
    public const string ThreadListChanged = nameof(IDiscussionClient.ThreadListChanged);
    public const string LiveStatusChanged = nameof(IDiscussionClient.LiveStatusChanged);
}

/// <summary>What the server sends to hub clients.</summary>
public interface IDiscussionClient
{
    /// <summary>A committed change to a watched thread, in seq order per thread.</summary>
    Task ThreadEvent(ThreadEventDto threadEvent);

    /// <summary>Everyone typing in a watched thread now (the whole list, the recipient included: skip yourself).</summary>
    Task TypingChanged(TypingChangedDto typing);

    /// <summary>How many distinct viewers watch a thread now, across all nodes.</summary>
    Task ViewersChanged(ViewersChangedDto viewers);

    /// <summary>A thread in the list changed (new thread, new reply, closed, reopened), for clients watching the list.</summary>
    Task ThreadListChanged(ThreadSummaryDto thread);

    /// <summary>
    /// The node lost (paused) or regained its link to the other nodes. While paused, changes are stored but not sent;
    /// when it is live again, call <c>WatchThread(threadId, lastSeq)</c> for each watched thread to catch up.
    /// </summary>
    Task LiveStatusChanged(LiveStatusDto status);
}

public sealed record LiveStatusDto(bool Paused);

/// <summary>One person typing; <see cref="ParentReplyId"/> is the reply they answer, or null for the post.</summary>
public sealed record TypistDto(string DisplayName, long? ParentReplyId, string UserId);

public sealed record TypingChangedDto(long ThreadId, IReadOnlyList<TypistDto> Typists);

public sealed record ViewersChangedDto(long ThreadId, int Count);
