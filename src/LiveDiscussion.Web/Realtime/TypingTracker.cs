using System.Security.Claims;
using LiveDiscussion.Contracts;
using LiveDiscussion.Web.Data;
using LiveDiscussion.Web.Features.Accounts;
using LiveDiscussion.Web.Features.Replies;
using LiveDiscussion.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LiveDiscussion.Web.Realtime;

/// <summary>
/// Who is typing where. Composers signal at most every two seconds while keys are pressed; a signal that comes sooner
/// than <see cref="MinimumSignalInterval"/> after the same person's last one in the thread (whatever reply it answers)
/// is dropped, not relayed, so a flood costs nothing. A signal that passes is checked once (<see cref="SignalAsync"/>):
/// a suspended person, or a reply that is not in the thread, is refused.
/// A typist vanishes <see cref="Expiry"/> after their last signal even if "stopped" never comes (a closed laptop).
/// The whole list of a thread is sent when it changes, at most once per tick.
/// Signals reach every node through the node bus, so each node knows all typists, and each node shows the list to its
/// own pages and hub clients through its <see cref="NodeDispatcher"/>.
/// </summary>
public sealed class TypingTracker : BackgroundService
{
    public static readonly TimeSpan Expiry = TimeSpan.FromSeconds(6);
    public static readonly TimeSpan MinimumSignalInterval = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(250);

    private readonly Lock _lock = new();
    private readonly Dictionary<long, Dictionary<string, Typist>> _typistsByThread = [];
    private readonly HashSet<long> _changed = [];
    // When each person's last signal was taken on this node, by thread: the throttle, before any relay or check.
    private readonly Dictionary<(long ThreadId, string UserId), DateTimeOffset> _lastTaken = [];

    private readonly INodeBus bus;
    private readonly NodeDispatcher dispatcher;
    private readonly TimeProvider clock;
    private readonly ILogger<TypingTracker> logger;
    private readonly IDbContextFactory<DiscussionDbContext>? dbFactory;

    /// <param name="dbFactory">Where <see cref="SignalAsync"/> checks the typist; unit tests of the list leave it out.</param>
    public TypingTracker(
        INodeBus bus, NodeDispatcher dispatcher, TimeProvider clock, ILogger<TypingTracker> logger,
        IDbContextFactory<DiscussionDbContext>? dbFactory = null)
    {
        this.dbFactory = dbFactory;
        this.bus = bus;
        this.dispatcher = dispatcher;
        this.clock = clock;
        this.logger = logger;
        dispatcher.Subscribe<TypingSignal>(Apply);
    }

    private sealed record Typist(string DisplayName, long? ParentReplyId, DateTimeOffset LastSignal);

    /// <summary>
    /// Takes a typing signal from a signed-in person on this node (a hub call, a page's composer): throttled first, then
    /// checked against the database (not suspended, answering a reply of this thread), then relayed. Returns false when
    /// the throttle dropped it.
    /// </summary>
    public async Task<bool> SignalAsync(
        ClaimsPrincipal user, long threadId, long? parentReplyId, bool isTyping, CancellationToken ct = default)
    {
        var userId = Actor.SignedInUserId(user) ?? throw DiscussionProblem.SignInRequired(ReplyGroupCommit.SignInToReply);
        if (!isTyping)
        {
            return Signal(threadId, userId, "", null, isTyping: false);
        }

        if (!TakeThrottled(threadId, userId))
        {
            return false;
        }

        var factory = dbFactory ?? throw new InvalidOperationException("This tracker has no database to check typists against.");
        await using var db = await factory.CreateDbContextAsync(ct);
        var actor = await Actor.RequireAsync(db, user, ReplyGroupCommit.SignInToReply, clock, ct);
        if (parentReplyId is { } parentId && !await IsAnswerable(db, parentId, threadId))
        {
            throw DiscussionProblem.Invalid("parentReplyId", "The reply you are answering is not in this thread.");
        }

        Relay(threadId, userId, actor.DisplayName, parentReplyId, isTyping: true);
        return true;
    }

    private static readonly Func<DiscussionDbContext, long, long, Task<bool>> IsAnswerable = CompiledPerModel.Query(
        (DiscussionDbContext db, long replyId, long threadId) => db.Replies.Any(r => r.Id == replyId && r.ThreadId == threadId
            && (r.State == ReplyState.Visible || r.State == ReplyState.Hidden)));

    /// <summary>
    /// True when the person's signal in this thread may go on, and notes it: one a <see cref="MinimumSignalInterval"/>
    /// per person and thread, whatever reply it answers, so alternating the reply answered does not get past it.
    /// </summary>
    private bool TakeThrottled(long threadId, string userId)
    {
        var now = clock.GetUtcNow();
        lock (_lock)
        {
            if (_lastTaken.TryGetValue((threadId, userId), out var last) && now - last < MinimumSignalInterval)
            {
                return false;
            }

            _lastTaken[(threadId, userId)] = now;
            return true;
        }
    }

    /// <summary>Takes a typing signal from a person on this node; returns false when it was dropped by the throttle.</summary>
    public bool Signal(long threadId, string userId, string displayName, long? parentReplyId, bool isTyping)
    {
        if (!isTyping)
        {
            lock (_lock)
            {
                // The throttle stays: a flood of typing/stopped pairs gets no further than a flood of typing.
                if (_typistsByThread.GetValueOrDefault(threadId)?.ContainsKey(userId) != true)
                {
                    return true;
                }
            }
        }
        else if (!TakeThrottled(threadId, userId))
        {
            return false;
        }

        Relay(threadId, userId, displayName, parentReplyId, isTyping);
        return true;
    }

    private void Relay(long threadId, string userId, string displayName, long? parentReplyId, bool isTyping)
    {
        var now = clock.GetUtcNow();
        var signal = new TypingSignal(threadId, userId, displayName, parentReplyId, isTyping, now);
        _ = PublishAsync(signal);
    }

    private async Task PublishAsync(TypingSignal signal)
    {
        try
        {
            await bus.PublishAsync(signal);
        }
        catch (Exception exception)
        {
            logger.LogWarning(exception, "Relaying a typing signal in thread {ThreadId} failed", signal.ThreadId);
        }
    }

    /// <summary>Takes a typing signal from any node, this one included.</summary>
    private void Apply(TypingSignal signal)
    {
        lock (_lock)
        {
            var typists = _typistsByThread.GetValueOrDefault(signal.ThreadId);
            bool isNews;
            if (!signal.IsTyping)
            {
                isNews = typists?.Remove(signal.UserId) == true;
            }
            else
            {
                typists ??= _typistsByThread[signal.ThreadId] = [];
                isNews = !typists.TryGetValue(signal.UserId, out var before) || before.ParentReplyId != signal.ParentReplyId;
                // The receiving node's clock, so a typist expires on every node at about the same moment.
                typists[signal.UserId] = new Typist(signal.DisplayName, signal.ParentReplyId, clock.GetUtcNow());
            }

            if (isNews)
            {
                _changed.Add(signal.ThreadId);
            }
        }
    }

    public IReadOnlyList<TypistDto> Typists(long threadId)
    {
        lock (_lock)
        {
            return ListOf(threadId);
        }
    }

    private List<TypistDto> ListOf(long threadId) =>
        _typistsByThread.TryGetValue(threadId, out var typists)
            ? typists.OrderBy(t => t.Value.DisplayName, StringComparer.CurrentCultureIgnoreCase)
                .Select(t => new TypistDto(t.Value.DisplayName, t.Value.ParentReplyId, t.Key)).ToList()
            : [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Tick, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            foreach (var update in TakeChanges())
            {
                await dispatcher.DeliverAsync(update);
            }
        }
    }

    private List<TypingChangedDto> TakeChanges()
    {
        var now = clock.GetUtcNow();
        var expiredBefore = now - Expiry;
        lock (_lock)
        {
            foreach (var (key, taken) in _lastTaken)
            {
                if (now - taken >= MinimumSignalInterval)
                {
                    _lastTaken.Remove(key);
                }
            }

            foreach (var (threadId, typists) in _typistsByThread)
            {
                foreach (var (userId, typist) in typists)
                {
                    if (typist.LastSignal < expiredBefore)
                    {
                        typists.Remove(userId);
                        _changed.Add(threadId);
                    }
                }
            }

            var updates = _changed.Select(threadId => new TypingChangedDto(threadId, ListOf(threadId))).ToList();
            foreach (var threadId in _changed.Where(id => _typistsByThread.TryGetValue(id, out var t) && t.Count == 0))
            {
                _typistsByThread.Remove(threadId);
            }

            _changed.Clear();
            return updates;
        }
    }
}
