namespace LiveDiscussion.Contracts;

/// <summary>The event types of the per-thread event log.</summary>
public static class ThreadEventTypes
{
    public const string ReplyPosted = "reply-posted";
    public const string ReplyEdited = "reply-edited";
    public const string ReplyDeleted = "reply-deleted";
    public const string ReplyHidden = "reply-hidden";
    public const string ReplyRestored = "reply-restored";
    public const string ReplyRejected = "reply-rejected";
    public const string ThreadClosed = "thread-closed";
    public const string ThreadReopened = "thread-reopened";
}

public sealed record ThreadEventDto(
    long ThreadId,
    long Seq,
    string Type,
    DateTimeOffset At,
    ReplyDto? Reply = null,
    string? Reason = null,
    string? Actor = null);

/// <summary>
/// The events after a viewer's last seen seq. When <see cref="Truncated"/> is set there were too many to send and the
/// viewer reloads the thread instead; <see cref="Events"/> is then empty.
/// </summary>
public sealed record ThreadCatchUp(long ThreadId, long LatestSeq, IReadOnlyList<ThreadEventDto> Events, bool Truncated);
