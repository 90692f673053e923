using LiveDiscussion.Contracts;

namespace LiveDiscussion.Web.Realtime;

/// <summary>
/// Who is typing where. Composers signal at most every two seconds while keys are pressed; a signal that comes sooner
/// than <see cref="MinimumSignalInterval"/> after the last one is dropped, not relayed, so a flood costs nothing.
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

    private readonly INodeBus bus;
    private readonly NodeDispatcher dispatcher;
    private readonly TimeProvider clock;
    private readonly ILogger<TypingTracker> logger;

    public TypingTracker(INodeBus bus, NodeDispatcher dispatcher, TimeProvider clock, ILogger<TypingTracker> logger)
    {
        this.bus = bus;
        this.dispatcher = dispatcher;
        this.clock = clock;
        this.logger = logger;
        dispatcher.Subscribe<TypingSignal>(Apply);
    }

    private sealed record Typist(string DisplayName, long? ParentReplyId, DateTimeOffset LastSignal);

    /// <summary>Takes a typing signal from a person on this node; returns false when it was dropped by the throttle.</summary>
    public bool Signal(long threadId, string userId, string displayName, long? parentReplyId, bool isTyping)
    {
        var now = clock.GetUtcNow();
        lock (_lock)
        {
            var current = _typistsByThread.GetValueOrDefault(threadId)?.GetValueOrDefault(userId);
            if (!isTyping && current is null)
            {
                return true;
            }

            if (isTyping && current is not null
                && current.ParentReplyId == parentReplyId
                && now - current.LastSignal < MinimumSignalInterval)
            {
                return false;
            }
        }

        var signal = new TypingSignal(threadId, userId, displayName, parentReplyId, isTyping, now);
        _ = PublishAsync(signal);
        return true;
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
        var expiredBefore = clock.GetUtcNow() - Expiry;
        lock (_lock)
        {
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
