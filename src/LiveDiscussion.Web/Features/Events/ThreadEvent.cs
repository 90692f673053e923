namespace LiveDiscussion.Web.Features.Events;

/// <summary>
/// One row of a thread's event log: written in the same transaction as the change it records, numbered gap-free from 1
/// per thread. Every live update is one of these, so a viewer that missed some can ask for them again.
/// </summary>
/// <remarks>
/// The payload is kept as columns that point at the reply rather than a copy of it: a reply read back from the log
/// is rendered from its current row, so text that was deleted since is never served again.
/// </remarks>
public sealed class ThreadEvent
{
    public long Id { get; set; }
    public long ThreadId { get; set; }
    public long Seq { get; set; }
    public required string Type { get; set; }
    public long? ReplyId { get; set; }
    public string? Reason { get; set; }
    public string? Actor { get; set; }
    public DateTimeOffset At { get; set; }

    /// <summary>A <c>thread-slow-mode</c> event's new setting, as the event carries it.</summary>
    public int? SlowModeSeconds { get; set; }
    public DateTimeOffset? SlowModeUntil { get; set; }
}
