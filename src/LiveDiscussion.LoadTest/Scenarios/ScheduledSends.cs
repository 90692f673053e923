using LiveDiscussion.Contracts;
using LiveDiscussion.LoadTest.Client;

namespace LiveDiscussion.LoadTest.Scenarios;

/// <summary>
/// What a scenario sends on its open-loop schedule, and which hub event answers which send. The schedule, the watchers,
/// the recorder and the report are shared (<see cref="FanoutScenario"/>); only this differs between scenarios.
/// </summary>
public interface IScheduledSends
{
    /// <summary>The schedule index <paramref name="threadEvent"/> answers, or -1 when it answers none of these sends.</summary>
    int IndexOf(ThreadEventDto threadEvent);

    /// <summary>Whether send <paramref name="index"/> is measured: expected to reach every watcher, and timed.</summary>
    bool IsMeasured(int index);

    /// <summary>Sends number <paramref name="index"/>; null on success or what went wrong.</summary>
    Task<string?> SendAsync(int index, CancellationToken ct);

    /// <summary>Which of the run's threads send <paramref name="index"/> goes to (its watchers are the ones owed it).</summary>
    int ThreadIndexOf(int index) => 0;

    /// <summary>Unmeasured clean-up once a schedule of <paramref name="count"/> sends is done; null or what went wrong.</summary>
    Task<string?> FinishAsync(int count, CancellationToken ct) => Task.FromResult<string?>(null);
}

/// <summary>
/// The fanout scenario's sends: every index is a reply whose body carries the index. With several threads
/// (many-threads) send i goes to thread i mod T, so the total rate is spread evenly and every thread is busy.
/// </summary>
public sealed class ReplySends(DiscussionApi api, IReadOnlyList<long> threadIds, ReplyMarker marker) : IScheduledSends
{
    public ReplySends(DiscussionApi api, long threadId, ReplyMarker marker)
        : this(api, [threadId], marker)
    {
    }

    public int IndexOf(ThreadEventDto threadEvent) => Match(marker, threadEvent);

    public bool IsMeasured(int index) => true;

    public int ThreadIndexOf(int index) => index % threadIds.Count;

    public Task<string?> SendAsync(int index, CancellationToken ct) =>
        api.PostReplyAsync(threadIds[ThreadIndexOf(index)], new NewReplyRequest(null, marker.Body(index), marker.ClientRequestId(index)), ct);

    public static int Match(ReplyMarker marker, ThreadEventDto threadEvent) =>
        threadEvent.Type == ThreadEventTypes.ReplyPosted ? marker.IndexOf(threadEvent.Reply?.Body) : -1;
}

/// <summary>
/// The close scenario's sends: even indexes close the thread with a reason carrying the index, odd ones reopen it. Only
/// the closes are measured, each against the <c>thread-closed</c> event whose reason names it.
/// </summary>
public sealed class CloseSends(DiscussionApi api, long threadId, ReplyMarker marker) : IScheduledSends
{
    public int IndexOf(ThreadEventDto threadEvent) => Match(marker, threadEvent);

    public bool IsMeasured(int index) => IsClose(index);

    public Task<string?> SendAsync(int index, CancellationToken ct) => IsClose(index)
        ? api.CloseThreadAsync(threadId, marker.Body(index), ct)
        : api.ReopenThreadAsync(threadId, ct);

    /// <summary>An odd count ends on a close: reopen, so the next schedule (or a later run) starts on an open thread.</summary>
    public Task<string?> FinishAsync(int count, CancellationToken ct) =>
        count % 2 == 1 ? api.ReopenThreadAsync(threadId, ct) : Task.FromResult<string?>(null);

    public static bool IsClose(int index) => index % 2 == 0;

    /// <summary>How many closes a schedule of <paramref name="count"/> alternating sends holds.</summary>
    public static int Closes(int count) => (count + 1) / 2;

    /// <summary>The close a <c>thread-closed</c> event answers, by its reason; -1 for reopens and anything else.</summary>
    public static int Match(ReplyMarker marker, ThreadEventDto threadEvent)
    {
        if (threadEvent.Type != ThreadEventTypes.ThreadClosed)
        {
            return -1;
        }

        var index = marker.IndexOf(threadEvent.Reason);
        return index >= 0 && IsClose(index) ? index : -1;
    }
}
