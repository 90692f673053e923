using System.Security.Claims;
using LiveDiscussion.Contracts;
using LiveDiscussion.Web.Features.Accounts;
using LiveDiscussion.Web.Features.Content;
using LiveDiscussion.Web.Features.Events;
using LiveDiscussion.Web.Features.Moderation;
using LiveDiscussion.Web.Features.Replies;
using LiveDiscussion.Web.Infrastructure;
using LiveDiscussion.Web.Realtime;

namespace LiveDiscussion.Web.Features.Threads;

/// <summary>
/// The thread page's live state, one per circuit: the part of the thread the reader has loaded, kept current by the
/// node feed and the event log, who is typing and watching, and what the reader does. The page shows it and the reply
/// views act through it; neither holds state of its own beyond what is on screen.
/// <para>
/// Every change of state runs on the circuit's dispatcher (<see cref="Attach"/>), so the page always renders a
/// consistent state, and <see cref="Changed"/> asks it to render again.
/// </para>
/// </summary>
public sealed class ThreadSession(
    ThreadService threads,
    ReplyService replies,
    ThreadEventLog eventLog,
    SuspensionService suspensions,
    NodeFeed feed,
    PresenceTracker presence,
    TypingTracker typing,
    ILiveLink link,
    CircuitConnection circuit,
    PrerenderHandoff handoff,
    TimeProvider clock) : IThreadWatcher, IDisposable
{
    /// <summary>Deeper answers are not indented further; they continue on a page of their own.</summary>
    public const int MaxVisibleDepth = 6;

    /// <summary>
    /// Replies loaded with the page: more than a screenful, and little for the server to hold for each of thousands of
    /// readers (every reply a reader sees costs their circuit its render trees).
    /// </summary>
    public const int FirstPageSize = 20;

    /// <summary>Replies each "Load more" adds: the reader asked to read on.</summary>
    public const int PageSize = 50;

    /// <summary>How many of a linked reply's ancestors are shown above it, for context.</summary>
    public const int ContextAncestors = 2;

    private static readonly IReadOnlySet<long> NoReplies = new HashSet<long>();

    private readonly string _pageKey = $"page:{Guid.NewGuid():N}";
    private readonly SemaphoreSlim _applying = new(1, 1);
    private readonly HashSet<long> _arrived = [];
    private readonly HashSet<long> _held = [];
    private readonly HashSet<long> _collapsed = [];
    private readonly HashSet<long> _keptReplyDrafts = [];
    private Func<Func<Task>, Task> _invoke = work => work();
    private long? _watchedThreadId;
    private IDisposable? _feedSubscription;
    private IReadOnlyList<TypistDto> _typists = [];
    // The reply the link asked for, shown or not (a missing one leaves FocusReplyId null): the same link loads once.
    private long? _linkedReplyId;

    // The replies whose views the change being announced concerns; null while a change concerns every view. A page
    // holds a view per reply it shows, and every view hears every change: one new reply so costs its parent's view a
    // look, not each of the page's views a look at its part of the session.
    private IReadOnlySet<long>? _concerned;
    private readonly HashSet<long> _replyAndAncestors = [];

    public event Action? Changed;

    /// <summary>
    /// Whether the change being announced through <see cref="Changed"/> may alter what the view of this reply shows.
    /// </summary>
    public bool Concerns(long replyId) => _concerned is null || _concerned.Contains(replyId);

    public LiveThread? Live { get; private set; }

    public bool NotFound { get; private set; }

    /// <summary>The linked reply the page is focused on (<c>/r/{id}</c>), when it could be shown.</summary>
    public long? FocusReplyId { get; private set; }

    /// <summary>The reply the focused view starts from: the linked reply or one of its ancestors.</summary>
    public long? FocusTopId { get; private set; }

    /// <summary>Said above the thread when a linked reply cannot be shown as asked.</summary>
    public string? Notice { get; private set; }

    public ClaimsPrincipal User { get; private set; } = new();

    public bool IsSignedIn => User.Identity?.IsAuthenticated == true;

    public string? UserId => User.FindFirstValue(ClaimTypes.NameIdentifier);

    public bool IsModerator => User.IsInRole(Roles.Moderator) || User.IsInRole(Roles.Admin);

    /// <summary>
    /// What the page says instead of a working composer while the reader is suspended; null while they may write. From
    /// the sign-in, which the circuit checks again at once when a suspension is stored (<see cref="CircuitSignIn"/>).
    /// </summary>
    public string? SuspendedNotice => AccountClaims.SuspendedUntilOf(User) is { } until && until > clock.GetUtcNow()
        ? Actor.SuspensionMessage(until, User.FindFirstValue(AccountClaims.SuspensionReason))
        : null;

    /// <summary>Signed in and not suspended.</summary>
    public bool CanWrite => IsSignedIn && SuspendedNotice is null;

    // What the loaded thread depends on besides the thread: who reads it and whether they see what moderators see.
    private (string? UserId, bool IsModerator) Reader => (UserId, IsModerator);

    public bool IsOpen => Live?.Thread.State == ThreadState.Open;

    public long ThreadId => Live?.Thread.Id ?? 0;

    public string ThreadHref => Live?.Href ?? "";

    public int ViewerCount { get; private set; }

    public bool LivePaused { get; private set; }

    public bool InsertLive { get; private set; } = true;

    public string Announcement { get; private set; } = "";

    public bool LoadingMore { get; private set; }

    /// <summary>New replies the reader chose not to have inserted yet ("Show N new replies").</summary>
    public int HeldCount => _held.Count;

    /// <summary>What an open composer says while the thread is closed; null while it is open.</summary>
    public string? ClosedNotice => IsOpen || Live is null
        ? null
        : ClosedReasonWorthShowing is { } reason ? $"Comments are closed: {reason}" : "Comments are closed.";

    /// <summary>What open composers say about slow mode, and until when the reader's next reply must wait.</summary>
    public ComposerPace Pace
    {
        get
        {
            var now = clock.GetUtcNow();
            var seconds = Live is { } live ? SlowMode.SecondsAt(live.Thread.SlowModeSeconds, live.Thread.SlowModeUntil, now) : 0;
            var waitUntil = seconds > 0 && _lastPostedAt is { } posted && posted.AddSeconds(seconds) > now && !IsModerator
                ? posted.AddSeconds(seconds)
                : (DateTimeOffset?)null;
            var shown = (seconds, seconds > 0 ? Live!.Thread.SlowModeUntil : null, waitUntil);
            if (shown != _paceShown)
            {
                // A new record only when it changes: reply views compare what they show by value, composers by it too.
                _paceShown = shown;
                _pace = new ComposerPace(seconds == 0 ? null : SlowModeNotice(seconds, Live!.Thread.SlowModeUntil), waitUntil);
            }

            return _pace;
        }
    }

    private ComposerPace _pace = new(null, null);
    private (int, DateTimeOffset?, DateTimeOffset?) _paceShown;
    // When this reader's last reply here was stored: slow mode counts from it.
    private DateTimeOffset? _lastPostedAt;

    private string SlowModeNotice(int seconds, DateTimeOffset? until) =>
        $"Slow mode: {SlowMode.Pace(seconds)}{(until is { } end ? $", until {SlowMode.Time(end)}" : "")}."
        + (IsModerator ? " Moderators are not slowed." : "");

    public string? ClosedReasonWorthShowing => Live?.Thread.CloseReason is { } reason
        && !string.IsNullOrWhiteSpace(reason) && reason != Import.WordPressImporter.ClosedReason ? reason : null;

    /// <summary>Lets the session change state on the circuit's dispatcher, as the page's InvokeAsync does.</summary>
    public void Attach(Func<Func<Task>, Task> invoke) => _invoke = invoke;

    /// <summary>
    /// Loads the thread (or, with <paramref name="focusReplyId"/>, that reply in context) unless it is the one shown or
    /// the prerendered page handed it over under <paramref name="handedOffKey"/>, and starts watching it once the page
    /// is interactive.
    /// </summary>
    public async Task OpenAsync(long threadId, long? focusReplyId, ClaimsPrincipal user, string? handedOffKey, bool interactive)
    {
        var readerBefore = Reader;
        var signInChanged = !ReferenceEquals(User, user);
        User = user;
        if (handoff.Take<HandedOff>(handedOffKey, UserId ?? "") is { } handed
            && handed.Live.Thread.Id == threadId && handed.LinkedReplyId == focusReplyId)
        {
            (Live, FocusReplyId, FocusTopId, Notice, NotFound) = (handed.Live, handed.FocusReplyId, handed.FocusTopId, handed.Notice, false);
            _linkedReplyId = focusReplyId;
        }
        else if (Live?.Thread.Id != threadId || _linkedReplyId != focusReplyId || NotFound)
        {
            _linkedReplyId = focusReplyId;
            await LoadAsync(threadId, focusReplyId);
        }
        else if (signInChanged && Live is not null)
        {
            await ShowToNewSignInAsync(reload: Reader != readerBefore);
        }

        if (interactive && Live is not null && _watchedThreadId != threadId)
        {
            await StartWatchingAsync();
        }
    }

    /// <summary>
    /// The reader's sign-in changed on an open page (signed out, a role given or taken, a suspension): what a moderator
    /// or the author alone may see is read again for who they are now, and every reply view looks again at what the
    /// reader may do.
    /// </summary>
    private async Task ShowToNewSignInAsync(bool reload)
    {
        if (reload)
        {
            await _applying.WaitAsync();
            try
            {
                await LoadAsync(Live!.Thread.Id, _linkedReplyId);
            }
            finally
            {
                _applying.Release();
            }
        }

        Changed?.Invoke();
    }

    /// <summary>
    /// Hands what the prerendered page loaded to the interactive one (which lives in another circuit), under the
    /// returned key. The prerendering session ends with its page, so the loaded thread itself changes hands.
    /// </summary>
    public string? HandOff() => Live is null
        ? null
        : handoff.Give(new HandedOff(Live, _linkedReplyId, FocusReplyId, FocusTopId, Notice), UserId ?? "", Live.ApproximateBytes());

    private sealed record HandedOff(LiveThread Live, long? LinkedReplyId, long? FocusReplyId, long? FocusTopId, string? Notice);

    private async Task LoadAsync(long threadId, long? focusReplyId)
    {
        NotFound = false;
        Notice = null;
        try
        {
            if (focusReplyId is { } replyId)
            {
                try
                {
                    Show(await threads.GetAroundAsync(threadId, replyId, ContextAncestors, FirstPageSize, User), focusReplyId);
                    return;
                }
                catch (DiscussionProblem problem) when (problem.Kind == ProblemKind.NotFound && problem.Field == "replyId")
                {
                    Notice = "The reply this link points to is not here: it may be waiting for a moderator's approval, "
                        + "or the link is wrong. Here is the whole thread.";
                }
            }

            var notice = Notice;
            Show(await threads.GetAsync(threadId, User, FirstPageSize), focusReplyId: null);
            Notice = notice;
        }
        catch (DiscussionProblem problem) when (problem.Kind == ProblemKind.NotFound)
        {
            NotFound = true;
            Live = null;
            StopWatching();
        }
    }

    private void Show(ThreadDetailDto loaded, long? focusReplyId)
    {
        Live = new LiveThread(loaded);
        NotFound = false;
        Notice = null;
        FocusReplyId = focusReplyId is { } id && Live.Find(id) is not null ? id : null;
        FocusTopId = FocusReplyId is null ? null : loaded.Replies[0].Id;
        if (FocusReplyId is { } focus && Live.Find(focus) is { State: not ReplyState.Visible } unusual)
        {
            Notice = unusual.State switch
            {
                ReplyState.Deleted => "The reply this link points to was deleted; the answers to it are still here.",
                ReplyState.Hidden => "The reply this link points to was hidden by a moderator.",
                ReplyState.Pending => "The reply this link points to is waiting for a moderator's approval.",
                _ => "The reply this link points to was not approved by a moderator.",
            };
        }

        _held.Clear();
        _collapsed.Clear();
    }

    /// <summary>The next page of the tree, after the last reply loaded.</summary>
    public async Task LoadMoreAsync()
    {
        if (Live is not { NextAfter: { } after } live || LoadingMore)
        {
            return;
        }

        LoadingMore = true;
        try
        {
            var page = await threads.GetRepliesAsync(live.Thread.Id, after, PageSize, User);
            await _applying.WaitAsync();
            try
            {
                live.AddPage(page);
            }
            finally
            {
                _applying.Release();
            }
        }
        finally
        {
            LoadingMore = false;
        }

        Changed?.Invoke();
    }

    /// <summary>The newest reply of the thread the reader may see, if any.</summary>
    public Task<long?> NewestReplyIdAsync() => threads.NewestReplyIdAsync(ThreadId, User);

    public bool IsCollapsed(long replyId) => _collapsed.Contains(replyId);

    public void ToggleCollapsed(long replyId)
    {
        if (!_collapsed.Remove(replyId))
        {
            _collapsed.Add(replyId);
        }

        Changed?.Invoke();
    }

    /// <summary>How many answers are loaded under a reply, at every depth.</summary>
    public int LoadedAnswersUnder(long replyId) =>
        Shown(Live!.ChildrenOf(replyId)).Sum(child => 1 + LoadedAnswersUnder(child.Id));

    /// <summary>What the top of the tree shows: the answers to the post, or the focused conversation.</summary>
    public IReadOnlyList<ReplyDto> TopOfTree() => Live is null
        ? []
        : FocusTopId is { } top && Live.Find(top) is { } first ? [first] : Shown(Live.TopLevel);

    /// <summary>
    /// The answers to a reply that the reader sees: replies held back by the reader's own choice are not shown yet;
    /// held or rejected replies exist only for their author and moderators.
    /// </summary>
    public IReadOnlyList<ReplyDto> ChildrenOf(long replyId) => Shown(Live!.ChildrenOf(replyId));

    private IReadOnlyList<ReplyDto> Shown(IReadOnlyList<ReplyDto> replies)
    {
        // Nearly always every answer is shown: the list is then handed on as the thread keeps it, without a copy.
        foreach (var reply in replies)
        {
            if (!IsShown(reply))
            {
                return [.. replies.Where(IsShown)];
            }
        }

        return replies;
    }

    private bool IsShown(ReplyDto reply) => !_held.Contains(reply.Id)
        && (!ReplyMapping.IsUnpublished(reply.State) || reply.Author.UserId == UserId || IsModerator);

    public bool JustArrived(long replyId) => _arrived.Contains(replyId);

    /// <summary>The browser's key for the words typed in answer to a reply, or to the post (null).</summary>
    public string DraftKeyFor(long? parentReplyId) =>
        Composer.ThreadDraftKeys(ThreadId) + (parentReplyId is { } replyId ? $"r{replyId}" : "post");

    public string EditDraftKeyFor(long replyId) => Composer.ThreadDraftKeys(ThreadId) + $"e{replyId}";

    /// <summary>Notes the replies this browser kept an answer's words for, so their composers open again.</summary>
    public void KeepDraftsFor(IEnumerable<long> replyIds) => _keptReplyDrafts.UnionWith(replyIds);

    /// <summary>True once for a reply whose answer this browser kept words for: its composer opens again.</summary>
    public bool TakeKeptDraft(long replyId) => _keptReplyDrafts.Remove(replyId);

    private async Task StartWatchingAsync()
    {
        StopWatching();
        var threadId = Live!.Thread.Id;
        _watchedThreadId = threadId;
        _feedSubscription = feed.WatchThread(threadId, this);
        presence.Watch(threadId, _pageKey, UserId ?? _pageKey);
        ViewerCount = presence.ViewerCount(threadId);
        LivePaused = !link.IsLive;
        _typists = Others(typing.Typists(threadId));
        circuit.Reconnected += CatchUpAsync;
        // The snapshot may be older than the subscription: whatever committed in between comes from the log.
        await CatchUpAsync();
    }

    private void StopWatching()
    {
        if (_watchedThreadId is { } previous)
        {
            _feedSubscription?.Dispose();
            presence.Unwatch(previous, _pageKey);
            if (UserId is { } userId)
            {
                typing.Signal(previous, userId, "", null, isTyping: false);
            }

            circuit.Reconnected -= CatchUpAsync;
            _watchedThreadId = null;
        }
    }

    Task IThreadWatcher.OnThreadEventAsync(ThreadEventDto threadEvent) => _invoke(async () =>
    {
        await _applying.WaitAsync();
        // Read once the catch-up that may be running has finished: it may already have applied this event.
        var seqBefore = Live?.LastSeq;
        try
        {
            if (Live is null || threadEvent.ThreadId != Live.Thread.Id)
            {
                return;
            }

            switch (Live.Apply(threadEvent))
            {
                case EventOutcome.Applied:
                    Arrived([threadEvent]);
                    await ShowUnpublishedTextAsync([threadEvent]);
                    break;
                case EventOutcome.Gap:
                    await FillGapAsync();
                    break;
            }
        }
        finally
        {
            _applying.Release();
        }

        // An event already applied (it came with a catch-up too) changes nothing on screen: no render for it.
        if (Live?.LastSeq == seqBefore)
        {
            return;
        }

        if (Live?.LastSeq == seqBefore + 1 && threadEvent.Reply is { } changed)
        {
            AnnounceChangeOf(ReplyAndAncestors(changed));
        }
        else
        {
            Changed?.Invoke();
        }
    });

    /// <summary>
    /// A reply event concerns the reply's own view, its parent's (whose answers changed) and every ancestor's (a
    /// collapsed one counts the answers under it). Closing and reopening carry no reply: they concern every view.
    /// </summary>
    private HashSet<long> ReplyAndAncestors(ReplyDto reply)
    {
        // Every circuit on the thread works this out for every reply event: one set per session, filled anew.
        var concerned = _replyAndAncestors;
        concerned.Clear();
        concerned.Add(reply.Id);
        for (var parent = reply.ParentReplyId; parent is { } id && concerned.Add(id);)
        {
            parent = Live?.Find(id)?.ParentReplyId;
        }

        return concerned;
    }

    private void AnnounceChangeOf(IReadOnlySet<long> concerned)
    {
        _concerned = concerned;
        try
        {
            Changed?.Invoke();
        }
        finally
        {
            _concerned = null;
        }
    }

    Task IThreadWatcher.OnTypingChangedAsync(TypingChangedDto typingChanged) => _invoke(() =>
    {
        var others = Others(typingChanged.Typists);
        if (!others.SequenceEqual(_typists))
        {
            // Only the replies someone started or stopped answering show a different line.
            var answered = _typists.Concat(others).Select(t => t.ParentReplyId).OfType<long>().ToHashSet();
            _typists = others;
            AnnounceChangeOf(answered);
        }

        return Task.CompletedTask;
    });

    Task IThreadWatcher.OnViewersChangedAsync(ViewersChangedDto viewers) => _invoke(() =>
    {
        if (ViewerCount != viewers.Count)
        {
            ViewerCount = viewers.Count;
            AnnounceChangeOf(NoReplies);
        }

        return Task.CompletedTask;
    });

    Task IThreadWatcher.OnLiveStatusChangedAsync(LiveStatusDto status) => _invoke(async () =>
    {
        LivePaused = status.Paused;
        Changed?.Invoke();
        if (!status.Paused)
        {
            // Whatever was posted while the link was down was stored but never sent: it comes from the log.
            await CatchUpAsync();
        }
    });

    public Task CatchUpAsync() => _invoke(async () =>
    {
        await _applying.WaitAsync();
        try
        {
            await FillGapAsync();
        }
        finally
        {
            _applying.Release();
        }

        Changed?.Invoke();
    });

    /// <summary>Fetches and applies, in order, every event after the last one applied.</summary>
    private async Task FillGapAsync()
    {
        if (Live is null)
        {
            return;
        }

        var catchUp = await eventLog.GetAfterAsync(Live.Thread.Id, Live.LastSeq);
        if (catchUp.Truncated)
        {
            await LoadAsync(Live.Thread.Id, FocusReplyId);
            return;
        }

        var applied = catchUp.Events.Where(e => Live.Apply(e) == EventOutcome.Applied).ToList();
        Arrived(applied);
        await ShowUnpublishedTextAsync(applied);
    }

    /// <summary>
    /// Events carry what everyone may see; a hidden reply's author and moderators see its text too, so for them the
    /// reply is read again as they may see it.
    /// </summary>
    private async Task ShowUnpublishedTextAsync(IEnumerable<ThreadEventDto> applied)
    {
        foreach (var reply in applied.Select(e => e.Reply).OfType<ReplyDto>()
                     .Where(r => r.State is ReplyState.Hidden or ReplyState.Rejected && (IsModerator || r.Author.UserId == UserId)
                         && Live!.Find(r.Id) is not null))
        {
            Live!.Upsert(await replies.GetAsync(User, reply.Id));
        }
    }

    private void Arrived(IReadOnlyCollection<ThreadEventDto> applied)
    {
        var newReplies = applied
            .Where(e => e.Type == ThreadEventTypes.ReplyPosted && e.Reply is { } r && r.Author.UserId != UserId)
            .Select(e => e.Reply!)
            .ToList();
        if (newReplies.Count == 0)
        {
            return;
        }

        foreach (var reply in newReplies.Where(r => Live!.Find(r.Id) is not null))
        {
            _arrived.Add(reply.Id);
            if (!InsertLive)
            {
                _held.Add(reply.Id);
            }
        }

        Announcement = (newReplies.Count, InsertLive) switch
        {
            (1, true) => $"New reply from {newReplies[0].Author.Name}.",
            (_, true) => $"{newReplies.Count} new replies.",
            _ => $"{_held.Count} new {(_held.Count == 1 ? "reply" : "replies")}: use the Show button to see them.",
        };
    }

    public void ShowHeldReplies()
    {
        _held.Clear();
        // A held answer deep in the tree shows only once its parent's view hears of it: the page's own render reaches
        // the top-level replies alone.
        Changed?.Invoke();
    }

    public void SetInsertLive(bool value)
    {
        InsertLive = value;
        if (value)
        {
            ShowHeldReplies();
        }
    }

    private IReadOnlyList<TypistDto> Others(IReadOnlyList<TypistDto> all) => all.Where(t => t.UserId != UserId).ToList();

    /// <summary>"Louise is replying to Julia…" for those answering <paramref name="parentReplyId"/> (null: the post).</summary>
    public string? TypingLineFor(long? parentReplyId)
    {
        if (_typists.Count == 0 || Live is null)
        {
            return null;
        }

        var names = _typists.Where(t => t.ParentReplyId == parentReplyId).Select(t => t.DisplayName).ToList();
        if (names.Count == 0)
        {
            return null;
        }

        var target = parentReplyId is { } id
            ? Live.Find(id)?.Author.Name ?? "a reply"
            : Live.Thread.Author.Name;
        var who = names.Count switch
        {
            1 => $"{names[0]} is",
            2 => $"{names[0]} and {names[1]} are",
            _ => $"{names.Count} people are",
        };
        return $"{who} replying to {target}…";
    }

    public string? TypingSummary => _typists.Count switch
    {
        0 => null,
        1 => $"{_typists[0].DisplayName} is typing…",
        _ => $"{_typists.Count} people are typing…",
    };

    public async Task SignalTypingAsync(long? parentReplyId, bool isTyping)
    {
        if (UserId is null || Live is null)
        {
            return;
        }

        try
        {
            await typing.SignalAsync(User, Live.Thread.Id, parentReplyId, isTyping);
        }
        catch (DiscussionProblem)
        {
            // A suspended writer, or a reply gone from the thread: nobody is told they type, and the composer says
            // why when they send.
        }
    }

    public async Task PostReplyAsync(long? parentReplyId, ComposerDraft draft)
    {
        var reply = await replies.PostAsync(User, new PostReplyRequest(ThreadId, parentReplyId, draft.Text, draft.Id));
        _lastPostedAt = reply.CreatedAt;
        Live?.Upsert(reply);
        Changed?.Invoke();
    }

    public async Task SendToModeratorsAsync(long? parentReplyId, ComposerDraft draft)
    {
        var reply = await replies.SendToModeratorsAsync(User, new PostReplyRequest(ThreadId, parentReplyId, draft.Text, draft.Id));
        Live?.Upsert(reply);
        Changed?.Invoke();
    }

    /// <summary>Slow mode for the thread (moderators): the seconds between two replies, 0 for off, and for how long.</summary>
    public async Task SetSlowModeAsync(int seconds, int? forMinutes)
    {
        await threads.SetSlowModeAsync(User, ThreadId, seconds, forMinutes);
        await CatchUpAsync();
    }

    public async Task EditReplyAsync(long replyId, string body)
    {
        Live?.Upsert(await replies.EditAsync(User, replyId, body));
        Changed?.Invoke();
    }

    public async Task DeleteReplyAsync(long replyId)
    {
        await replies.DeleteAsync(User, replyId);
        if (Live?.Find(replyId) is { State: ReplyState.Pending or ReplyState.Rejected } unpublished)
        {
            // A reply nobody else saw leaves no event to learn this from.
            Live.Upsert(unpublished with { State = ReplyState.Deleted, Body = "", BodyHtml = "", HiddenReason = null });
        }

        await CatchUpAsync();
    }

    public Task SuspendAsync(string userId, DateTimeOffset? until, string? reason) =>
        suspensions.SuspendAsync(User, userId, until, reason);

    public async Task HideReplyAsync(long replyId, string? reason)
    {
        await replies.HideAsync(User, replyId, reason);
        await CatchUpAsync();
    }

    public async Task RestoreReplyAsync(long replyId)
    {
        await replies.RestoreAsync(User, replyId);
        await CatchUpAsync();
    }

    /// <summary>The reader left the thread page: stop watching, and let go of what was loaded.</summary>
    public void Leave()
    {
        StopWatching();
        Live = null;
        FocusReplyId = FocusTopId = _linkedReplyId = null;
        _arrived.Clear();
    }

    public void Dispose() => StopWatching();
}

/// <summary>What a composer shows about slow mode: the notice (null when off) and when the next send may go.</summary>
public sealed record ComposerPace(string? Notice, DateTimeOffset? WaitUntil);
