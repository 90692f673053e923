using LiveDiscussion.Contracts;
using LiveDiscussion.Web.Features.Replies;

namespace LiveDiscussion.Web.Features.Threads;

public enum EventOutcome
{
    Applied,
    AlreadySeen,

    /// <summary>Events between the last one applied and this one are missing: catch up from <see cref="LiveThread.LastSeq"/>.</summary>
    Gap,
}

/// <summary>
/// A thread as one viewer sees it, kept current by applying its events strictly in seq order: each event once, none
/// skipped. Out-of-order or repeated deliveries are told apart from gaps, which the viewer fills from the event log.
/// </summary>
public sealed class LiveThread
{
    private readonly List<ReplyDto> _replies;

    public LiveThread(ThreadDetailDto loaded)
    {
        // The replies live in this object from now on; the record keeps only the thread's own fields.
        Thread = loaded with { Replies = [] };
        LastSeq = loaded.LatestSeq;
        _replies = [.. loaded.Replies];
        Children = ReplyMapping.ChildrenOf(_replies);
    }

    public ThreadDetailDto Thread { get; private set; }

    public long LastSeq { get; private set; }

    public IReadOnlyList<ReplyDto> Replies => _replies;

    public ILookup<long?, ReplyDto> Children { get; private set; }

    public EventOutcome Apply(ThreadEventDto threadEvent)
    {
        if (threadEvent.Seq <= LastSeq)
        {
            return EventOutcome.AlreadySeen;
        }

        if (threadEvent.Seq > LastSeq + 1)
        {
            return EventOutcome.Gap;
        }

        LastSeq = threadEvent.Seq;
        if (threadEvent.Reply is { } reply)
        {
            Upsert(reply);
        }

        Thread = threadEvent.Type switch
        {
            ThreadEventTypes.ThreadClosed => Thread with { State = ThreadState.Closed, CloseReason = threadEvent.Reason },
            ThreadEventTypes.ThreadReopened => Thread with { State = ThreadState.Open, CloseReason = null },
            _ => Thread,
        };
        Thread = Thread with { LatestSeq = LastSeq };
        return EventOutcome.Applied;
    }

    /// <summary>Shows a reply at once (e.g. one's own, as the service returned it); its event will find it in place.</summary>
    public void Upsert(ReplyDto reply)
    {
        var index = _replies.FindIndex(r => r.Id == reply.Id);
        if (index >= 0)
        {
            _replies[index] = reply;
        }
        else
        {
            _replies.Add(reply);
        }

        Children = ReplyMapping.ChildrenOf(_replies);
        var visible = _replies.Count(r => r.State == ReplyState.Visible);
        Thread = Thread with
        {
            ReplyCount = visible,
            LastActivityAt = reply.CreatedAt > Thread.LastActivityAt ? reply.CreatedAt : Thread.LastActivityAt,
        };
    }
}
