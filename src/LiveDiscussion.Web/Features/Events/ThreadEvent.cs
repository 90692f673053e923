namespace LiveDiscussion.Web.Features.Events;

/// <summary>
/// One row of a thread's event log: written in the same transaction as the change it records, numbered gap-free from 1
/// per thread. Every live update is one of these, so a viewer that missed some can ask for them again.
/// </summary>
public sealed class ThreadEvent
{
    public long Id { get; set; }
    public long ThreadId { get; set; }
    public long Seq { get; set; }
    public required string Type { get; set; }

    /// <summary>The <see cref="Contracts.ThreadEventDto"/> as JSON.</summary>
    public required string Payload { get; set; }
    public DateTimeOffset At { get; set; }
}
