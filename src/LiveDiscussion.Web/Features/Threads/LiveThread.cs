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
/// The part of a thread one viewer has loaded, kept current by applying the thread's events strictly in seq order: each
/// event once, none skipped. Out-of-order or repeated deliveries are told apart from gaps, which the viewer fills from
/// the event log.
/// <para>
/// A large thread is loaded a page at a time, in tree order. A reply posted live joins the loaded part when its place
/// is known: an answer to the post, or to a loaded reply (siblings are kept oldest first, so a page loaded later falls
/// into place around it). An answer to a reply not loaded yet is only counted: the page that loads its parent brings it.
/// Replies are immutable records, and each parent's list of answers is replaced only when it changes, so a view can tell
/// by reference what changed.
/// </para>
/// </summary>
public sealed class LiveThread
{
    private static readonly IReadOnlyList<ReplyDto> NoReplies = [];

    private readonly Dictionary<long, ReplyDto> _replies = [];
    private readonly Dictionary<long, IReadOnlyList<ReplyDto>> _children = [];
    private IReadOnlyList<ReplyDto> _topLevel = NoReplies;

    public LiveThread(ThreadDetailDto loaded)
    {
        // The replies live in this object from now on; the record keeps only the thread's own fields.
        Thread = loaded with { Replies = [] };
        Href = $"t/{loaded.Id}/{loaded.Slug}";
        LastSeq = loaded.LatestSeq;
        NextAfter = loaded.HasMoreReplies ? loaded.NextRepliesAfter : null;
        foreach (var reply in loaded.Replies)
        {
            _replies[reply.Id] = reply;
        }

        RebuildTree();
    }

    public ThreadDetailDto Thread { get; private set; }

    /// <summary>The thread's page, relative to the site: every reply's permalink starts with it.</summary>
    public string Href { get; }

    public long LastSeq { get; private set; }

    /// <summary>Where the next page of the tree starts (<c>after</c>); null when the whole tree is loaded.</summary>
    public long? NextAfter { get; private set; }

    public bool HasMore => NextAfter is not null;

    /// <summary>Replies posted live whose place is in the part not loaded yet.</summary>
    public int NewRepliesNotLoaded { get; private set; }

    public int LoadedCount => _replies.Count;

    /// <summary>The loaded answers to the post: a reply whose parent is not loaded counts as one.</summary>
    public IReadOnlyList<ReplyDto> TopLevel => _topLevel;

    /// <summary>The loaded replies in tree order.</summary>
    public IReadOnlyList<ReplyDto> Replies => [.. InTreeOrder(_topLevel)];

    private IEnumerable<ReplyDto> InTreeOrder(IEnumerable<ReplyDto> level) =>
        level.SelectMany(reply => InTreeOrder(ChildrenOf(reply.Id)).Prepend(reply));

    public IReadOnlyList<ReplyDto> ChildrenOf(long replyId) => _children.GetValueOrDefault(replyId, NoReplies);

    public ReplyDto? Find(long replyId) => _replies.GetValueOrDefault(replyId);

    /// <summary>About how much memory the loaded part holds.</summary>
    public long ApproximateBytes() => ThreadMemory.ApproximateBytes(Thread with { Replies = [.. _replies.Values] });

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
            Change(reply, threadEvent.Type);
        }

        Thread = threadEvent.Type switch
        {
            ThreadEventTypes.ThreadClosed => Thread with { State = ThreadState.Closed, CloseReason = threadEvent.Reason },
            ThreadEventTypes.ThreadReopened => Thread with { State = ThreadState.Open, CloseReason = null },
            ThreadEventTypes.ThreadSlowMode => Thread with
            {
                SlowModeSeconds = threadEvent.SlowModeSeconds ?? 0,
                SlowModeUntil = threadEvent.SlowModeUntil,
            },
            _ => Thread,
        };
        Thread = Thread with { LatestSeq = LastSeq };
        return EventOutcome.Applied;
    }

    /// <summary>Shows a reply at once (e.g. one's own, as the service returned it); its event will find it in place.</summary>
    public void Upsert(ReplyDto reply) => Change(reply, eventType: null);

    /// <summary>Adds the next page of the tree; replies already here (posted live meanwhile) stay as they are.</summary>
    public void AddPage(RepliesPageDto page)
    {
        foreach (var reply in page.Replies)
        {
            _replies.TryAdd(reply.Id, reply);
        }

        NextAfter = page.HasMore ? page.NextAfter : null;
        if (!HasMore)
        {
            NewRepliesNotLoaded = 0;
        }

        RebuildTree();
    }

    private void Change(ReplyDto reply, string? eventType)
    {
        var known = _replies.TryGetValue(reply.Id, out var before);
        var countChange = known
            ? IsCounted(reply) - IsCounted(before!)
            : eventType switch
            {
                // The reply before this event is not loaded here: its event says what happened to the count.
                ThreadEventTypes.ReplyPosted or ThreadEventTypes.ReplyRestored or null => IsCounted(reply),
                ThreadEventTypes.ReplyDeleted or ThreadEventTypes.ReplyHidden => -1,
                _ => 0,
            };
        Thread = Thread with
        {
            ReplyCount = Thread.ReplyCount + countChange,
            LastActivityAt = reply.CreatedAt > Thread.LastActivityAt ? reply.CreatedAt : Thread.LastActivityAt,
        };

        if (known)
        {
            _replies[reply.Id] = reply;
            ReplaceInSiblings(reply);
        }
        else if (eventType is ThreadEventTypes.ReplyPosted or null)
        {
            if (reply.ParentReplyId is { } parent && !_replies.ContainsKey(parent))
            {
                NewRepliesNotLoaded++;
                return;
            }

            _replies[reply.Id] = reply;
            AddToSiblings(reply);
        }

        // An edit, deletion or hiding of a reply not loaded changes nothing here: loading it reads it as it is now.
    }

    private static int IsCounted(ReplyDto reply) => reply.State == ReplyState.Visible ? 1 : 0;

    private long? PlaceOf(ReplyDto reply) =>
        reply.ParentReplyId is { } parent && _replies.ContainsKey(parent) ? parent : null;

    private void AddToSiblings(ReplyDto reply) => SetSiblings(PlaceOf(reply),
        [.. SiblingsAt(PlaceOf(reply)).Append(reply).OrderBy(r => r.CreatedAt).ThenBy(r => r.Id)]);

    private void ReplaceInSiblings(ReplyDto reply) => SetSiblings(PlaceOf(reply),
        [.. SiblingsAt(PlaceOf(reply)).Select(r => r.Id == reply.Id ? reply : r)]);

    private IReadOnlyList<ReplyDto> SiblingsAt(long? parent) => parent is { } id ? ChildrenOf(id) : _topLevel;

    private void SetSiblings(long? parent, IReadOnlyList<ReplyDto> siblings)
    {
        if (parent is { } id)
        {
            _children[id] = siblings;
        }
        else
        {
            _topLevel = siblings;
        }
    }

    private void RebuildTree()
    {
        var byPlace = _replies.Values.OrderBy(r => r.CreatedAt).ThenBy(r => r.Id).ToLookup(PlaceOf);
        _topLevel = [.. byPlace[null]];
        _children.Clear();
        foreach (var group in byPlace.Where(g => g.Key is not null))
        {
            _children[group.Key!.Value] = [.. group];
        }
    }
}
