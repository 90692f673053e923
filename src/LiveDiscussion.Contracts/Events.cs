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

    /// <summary>Slow mode was switched on, changed or off: the event carries its seconds and end.</summary>
    public const string ThreadSlowMode = "thread-slow-mode";
}

public sealed record ThreadEventDto(
    long ThreadId,
    long Seq,
    string Type,
    DateTimeOffset At,
    ReplyDto? Reply = null,
    string? Reason = null,
    string? Actor = null)
{
    /// <summary>
    /// <c>thread-slow-mode</c> only: the seconds a person waits between two replies in the thread from now on (0: off).
    /// </summary>
    public int? SlowModeSeconds { get; init; }

    /// <summary><c>thread-slow-mode</c> only: when slow mode ends by itself; null: when a moderator turns it off.</summary>
    public DateTimeOffset? SlowModeUntil { get; init; }
}

/// <summary>
/// The events after a viewer's last seen seq. When <see cref="Truncated"/> is set there were too many to send and the
/// viewer reloads the thread instead; <see cref="Events"/> is then empty.
/// </summary>
public sealed record ThreadCatchUp(long ThreadId, long LatestSeq, IReadOnlyList<ThreadEventDto> Events, bool Truncated);
