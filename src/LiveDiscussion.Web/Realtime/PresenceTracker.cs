using LiveDiscussion.Contracts;
using Microsoft.AspNetCore.SignalR;

namespace LiveDiscussion.Web.Realtime;

/// <summary>
/// Counts who is watching each thread: one per signed-in person however many tabs they have, one per connection for
/// anonymous readers. Counts are sent when they change, at most once per tick per thread, so a crowd arriving at once
/// costs one message per viewer, not one per arrival.
/// </summary>
public sealed class PresenceTracker(
    IHubContext<DiscussionHub, IDiscussionClient> hub, NodeFeed feed, ILogger<PresenceTracker> logger)
    : BackgroundService
{
    public static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(250);

    private readonly Lock _lock = new();
    private readonly Dictionary<long, Dictionary<string, int>> _viewersByThread = [];
    private readonly Dictionary<string, (string ViewerKey, HashSet<long> Threads)> _connections = [];
    private readonly HashSet<long> _changed = [];
    private readonly Dictionary<long, int> _lastSent = [];

    /// <param name="connectionKey">One per hub connection or page.</param>
    /// <param name="viewerKey">The person: their user id, or the connection key when signed out.</param>
    public void Watch(long threadId, string connectionKey, string viewerKey)
    {
        lock (_lock)
        {
            if (!_connections.TryGetValue(connectionKey, out var connection))
            {
                connection = (viewerKey, []);
                _connections[connectionKey] = connection;
            }

            if (!connection.Threads.Add(threadId))
            {
                return;
            }

            var viewers = _viewersByThread.TryGetValue(threadId, out var existing) ? existing : _viewersByThread[threadId] = [];
            viewers[viewerKey] = viewers.GetValueOrDefault(viewerKey) + 1;
            _changed.Add(threadId);
        }
    }

    public void Unwatch(long threadId, string connectionKey)
    {
        lock (_lock)
        {
            if (_connections.TryGetValue(connectionKey, out var connection) && connection.Threads.Remove(threadId))
            {
                Leave(threadId, connection.ViewerKey);
                if (connection.Threads.Count == 0)
                {
                    _connections.Remove(connectionKey);
                }
            }
        }
    }

    public void Disconnect(string connectionKey)
    {
        lock (_lock)
        {
            if (_connections.Remove(connectionKey, out var connection))
            {
                foreach (var threadId in connection.Threads)
                {
                    Leave(threadId, connection.ViewerKey);
                }
            }
        }
    }

    public bool IsWatching(string connectionKey, long threadId)
    {
        lock (_lock)
        {
            return _connections.TryGetValue(connectionKey, out var connection) && connection.Threads.Contains(threadId);
        }
    }

    public int ViewerCount(long threadId)
    {
        lock (_lock)
        {
            return _viewersByThread.TryGetValue(threadId, out var viewers) ? viewers.Count : 0;
        }
    }

    private void Leave(long threadId, string viewerKey)
    {
        var viewers = _viewersByThread[threadId];
        if (--viewers[viewerKey] == 0)
        {
            viewers.Remove(viewerKey);
        }

        if (viewers.Count == 0)
        {
            _viewersByThread.Remove(threadId);
        }

        _changed.Add(threadId);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Tick);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            List<ViewersChangedDto> updates;
            lock (_lock)
            {
                updates = _changed
                    .Select(threadId => new ViewersChangedDto(threadId, _viewersByThread.TryGetValue(threadId, out var v) ? v.Count : 0))
                    .Where(update => _lastSent.GetValueOrDefault(update.ThreadId, -1) != update.Count)
                    .ToList();
                _changed.Clear();
                foreach (var update in updates)
                {
                    if (update.Count == 0)
                    {
                        _lastSent.Remove(update.ThreadId);
                    }
                    else
                    {
                        _lastSent[update.ThreadId] = update.Count;
                    }
                }
            }

            foreach (var update in updates)
            {
                try
                {
                    await Task.WhenAll(hub.Clients.Group(HubGroups.Thread(update.ThreadId)).ViewersChanged(update), feed.DeliverAsync(update));
                }
                catch (Exception exception)
                {
                    logger.LogWarning(exception, "Sending the viewer count of thread {ThreadId} failed", update.ThreadId);
                }
            }
        }
    }
}
