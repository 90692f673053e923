using LiveDiscussion.Contracts;
using Microsoft.AspNetCore.SignalR;

namespace LiveDiscussion.Web.Realtime;

/// <summary>
/// Who is typing where. Composers signal at most every two seconds while keys are pressed; a signal that comes sooner
/// than <see cref="MinimumSignalInterval"/> after the last one is dropped, not relayed, so a flood costs nothing.
/// A typist vanishes <see cref="Expiry"/> after their last signal even if "stopped" never comes (a closed laptop).
/// The whole list of a thread is sent when it changes, at most once per tick.
/// </summary>
public sealed class TypingTracker(
    IHubContext<DiscussionHub, IDiscussionClient> hub, NodeFeed feed, TimeProvider clock, ILogger<TypingTracker> logger)
    : BackgroundService
{
    public static readonly TimeSpan Expiry = TimeSpan.FromSeconds(6);
    public static readonly TimeSpan MinimumSignalInterval = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(250);

    private readonly Lock _lock = new();
    private readonly Dictionary<long, Dictionary<string, Typist>> _typistsByThread = [];
    private readonly HashSet<long> _changed = [];

    private sealed record Typist(string DisplayName, long? ParentReplyId, DateTimeOffset LastSignal);

    /// <summary>Records a typing signal; returns false when it was dropped by the throttle.</summary>
    public bool Signal(long threadId, string userId, string displayName, long? parentReplyId, bool isTyping)
    {
        var now = clock.GetUtcNow();
        lock (_lock)
        {
            var typists = _typistsByThread.TryGetValue(threadId, out var existing) ? existing : null;
            if (!isTyping)
            {
                if (typists?.Remove(userId) == true)
                {
                    _changed.Add(threadId);
                }

                return true;
            }

            if (typists?.GetValueOrDefault(userId) is { } current
                && current.ParentReplyId == parentReplyId
                && now - current.LastSignal < MinimumSignalInterval)
            {
                return false;
            }

            typists ??= _typistsByThread[threadId] = [];
            var isNews = !typists.TryGetValue(userId, out var before) || before.ParentReplyId != parentReplyId;
            typists[userId] = new Typist(displayName, parentReplyId, now);
            if (isNews)
            {
                _changed.Add(threadId);
            }

            return true;
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
                try
                {
                    await Task.WhenAll(hub.Clients.Group(HubGroups.Thread(update.ThreadId)).TypingChanged(update), feed.DeliverAsync(update));
                }
                catch (Exception exception)
                {
                    logger.LogWarning(exception, "Sending who is typing in thread {ThreadId} failed", update.ThreadId);
                }
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
