using LiveDiscussion.Contracts;

namespace LiveDiscussion.Web.Realtime;

/// <summary>
/// Counts who is watching each thread on this node: one per signed-in person however many tabs they have, one per
/// connection for anonymous readers. The number shown is the sum over all nodes (<see cref="IViewerCounts"/>). It is
/// sent when it changes, at most once per tick per thread, so a crowd arriving at once costs one message per viewer,
/// not one per arrival; and every <see cref="RefreshInterval"/> each node re-asserts its counts, so the viewers of a
/// node that died stop being counted. A total goes out on the node bus, and every node's <see cref="NodeDispatcher"/>
/// shows it to its own viewers.
/// </summary>
public sealed class PresenceTracker : BackgroundService
{
    public static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(250);
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(5);

    private readonly Lock _lock = new();
    private readonly Dictionary<long, Dictionary<string, int>> _viewersByThread = [];
    private readonly Dictionary<string, (string ViewerKey, HashSet<long> Threads)> _connections = [];
    private readonly HashSet<long> _changed = [];
    // The last total any node announced for a thread: a node sends a total only when it differs, so two nodes whose
    // counts change one after the other never leave viewers with a stale number.
    private readonly Dictionary<long, int> _announced = [];
    private bool _resendAll;

    private readonly IViewerCounts counts;
    private readonly INodeBus bus;
    private readonly TimeProvider clock;
    private readonly ILogger<PresenceTracker> logger;

    public PresenceTracker(
        IViewerCounts counts, INodeBus bus, NodeDispatcher dispatcher, NodeIdentity node, TimeProvider clock,
        ILogger<PresenceTracker> logger)
    {
        this.counts = counts;
        this.bus = bus;
        this.clock = clock;
        this.logger = logger;
        dispatcher.Subscribe<ViewersNews>(news => RecordTotal(news.Viewers));
        // While this node's link was down, its counts reached nobody and the others' reached no one here.
        dispatcher.Subscribe<LinkRestored>(restored =>
        {
            if (restored.NodeId == node.Id)
            {
                ResendAll();
            }
        });
    }

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

    /// <summary>The last count across all nodes this node heard of, or its own count before it heard any.</summary>
    public int ViewerCount(long threadId)
    {
        lock (_lock)
        {
            return _announced.TryGetValue(threadId, out var total) ? total : LocalCount(threadId);
        }
    }

    private void RecordTotal(ViewersChangedDto viewers)
    {
        lock (_lock)
        {
            if (viewers.Count == 0)
            {
                _announced.Remove(viewers.ThreadId);
            }
            else
            {
                _announced[viewers.ThreadId] = viewers.Count;
            }
        }
    }

    /// <summary>After the link to the other nodes came back: tell everyone every count again.</summary>
    private void ResendAll()
    {
        lock (_lock)
        {
            _resendAll = true;
        }
    }

    private int LocalCount(long threadId) => _viewersByThread.TryGetValue(threadId, out var viewers) ? viewers.Count : 0;

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
        var nextRefresh = clock.GetUtcNow() + RefreshInterval;
        using var timer = new PeriodicTimer(Tick, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await SendChangedCountsAsync();
                if (clock.GetUtcNow() >= nextRefresh)
                {
                    nextRefresh = clock.GetUtcNow() + RefreshInterval;
                    await RefreshAsync();
                }
            }
            catch (Exception exception)
            {
                logger.LogWarning(exception, "Updating viewer counts failed");
            }
        }
    }

    private async Task SendChangedCountsAsync()
    {
        List<(long ThreadId, int Local)> changed;
        lock (_lock)
        {
            if (_resendAll)
            {
                _changed.UnionWith(_viewersByThread.Keys);
                _announced.Clear();
                _resendAll = false;
            }

            changed = _changed.Select(threadId => (threadId, LocalCount(threadId))).ToList();
            _changed.Clear();
        }

        foreach (var (threadId, local) in changed)
        {
            int total;
            try
            {
                total = await counts.ReportAsync(threadId, local);
            }
            catch (Exception exception)
            {
                // Sent again when the link is back (ResendAll).
                logger.LogWarning(exception, "Recording the viewer count of thread {ThreadId} failed", threadId);
                continue;
            }

            await SendIfNewAsync(threadId, total);
        }
    }

    private async Task RefreshAsync()
    {
        Dictionary<long, int> local;
        lock (_lock)
        {
            local = _viewersByThread.ToDictionary(entry => entry.Key, entry => entry.Value.Count);
        }

        foreach (var (threadId, total) in await counts.RefreshAsync(local))
        {
            await SendIfNewAsync(threadId, total);
        }
    }

    private async Task SendIfNewAsync(long threadId, int total)
    {
        lock (_lock)
        {
            if (_announced.GetValueOrDefault(threadId, -1) == total)
            {
                return;
            }

            if (total == 0)
            {
                _announced.Remove(threadId);
            }
            else
            {
                _announced[threadId] = total;
            }
        }

        var update = new ViewersChangedDto(threadId, total);
        try
        {
            await bus.PublishAsync(new ViewersNews(update));
        }
        catch (Exception exception)
        {
            logger.LogWarning(exception, "Sending the viewer count of thread {ThreadId} failed", threadId);
        }
    }
}
