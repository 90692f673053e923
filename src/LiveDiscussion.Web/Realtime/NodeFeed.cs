using System.Collections.Immutable;
using System.Threading.Channels;
using LiveDiscussion.Contracts;

namespace LiveDiscussion.Web.Realtime;

/// <summary>What a Blazor thread page hears about its thread.</summary>
public interface IThreadWatcher
{
    Task OnThreadEventAsync(ThreadEventDto threadEvent);
    Task OnTypingChangedAsync(TypingChangedDto typing);
    Task OnViewersChangedAsync(ViewersChangedDto viewers);

    /// <summary>Live updates paused or resumed; on resuming the page catches up from its last seq.</summary>
    Task OnLiveStatusChangedAsync(LiveStatusDto status);
}

/// <summary>
/// Hands published changes to the Blazor circuits on this node. Circuits are not hub clients, so SignalR's groups do
/// not reach them; they subscribe here instead. Whoever publishes only queues the change: one delivery loop hands the
/// changes, in the order they came, to the pages, and each page takes its part on its own circuit. A page whose circuit
/// is idle renders at once, on the thread that hands it the change, so handing a reply to two thousand pages is real
/// work; the loop keeps it off the writer, whose next posters would otherwise wait for every page to render.
/// </summary>
public sealed class NodeFeed : IDisposable
{
    private readonly ILogger<NodeFeed> logger;
    private readonly Channel<Action> _deliveries = Channel.CreateUnbounded<Action>(new UnboundedChannelOptions { SingleReader = true });

    private ImmutableDictionary<long, ImmutableList<IThreadWatcher>> _threadWatchers =
        ImmutableDictionary<long, ImmutableList<IThreadWatcher>>.Empty;

    private ImmutableList<Func<ThreadSummaryDto, Task>> _listWatchers = [];

    private ImmutableList<Func<Task>> _queueWatchers = [];

    private ImmutableDictionary<string, ImmutableList<Func<SignInChanged, Task>>> _signInWatchers =
        ImmutableDictionary<string, ImmutableList<Func<SignInChanged, Task>>>.Empty;

    public NodeFeed(ILogger<NodeFeed> logger)
    {
        this.logger = logger;
        // A thread of its own: handing a reply to thousands of pages takes a while, and on a small node the thread
        // pool's few threads are needed meanwhile for the sockets and the writer.
        new Thread(DeliverInOrder) { IsBackground = true, Name = "Node feed delivery" }.Start();
    }

    private void DeliverInOrder()
    {
        while (_deliveries.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            while (_deliveries.Reader.TryRead(out var delivery))
            {
                try
                {
                    delivery();
                }
                catch (Exception exception)
                {
                    // The loop carries every later change: a failure is logged and the loop goes on.
                    logger.LogError(exception, "A live update could not be handed to the pages");
                }
            }
        }
    }

    // Nothing is queued once the node stops; the pages are going too.
    public void Dispose() => _deliveries.Writer.TryComplete();

    public IDisposable WatchThread(long threadId, IThreadWatcher watcher)
    {
        ImmutableInterlocked.AddOrUpdate(ref _threadWatchers, threadId, [watcher], (_, list) => list.Add(watcher));
        return new Subscription(() => ImmutableInterlocked.Update(ref _threadWatchers, all =>
        {
            if (!all.TryGetValue(threadId, out var list))
            {
                return all;
            }

            var rest = list.Remove(watcher);
            return rest.IsEmpty ? all.Remove(threadId) : all.SetItem(threadId, rest);
        }));
    }

    public IDisposable WatchThreadList(Func<ThreadSummaryDto, Task> onChanged)
    {
        ImmutableInterlocked.Update(ref _listWatchers, list => list.Add(onChanged));
        return new Subscription(() => ImmutableInterlocked.Update(ref _listWatchers, list => list.Remove(onChanged)));
    }

    /// <summary>For moderation pages: something entered or left the queue of held replies.</summary>
    public IDisposable WatchModerationQueue(Func<Task> onChanged)
    {
        ImmutableInterlocked.Update(ref _queueWatchers, list => list.Add(onChanged));
        return new Subscription(() => ImmutableInterlocked.Update(ref _queueWatchers, list => list.Remove(onChanged)));
    }

    public Task DeliverModerationQueueChangedAsync()
    {
        var watchers = _queueWatchers;
        return Queue(() =>
        {
            foreach (var watcher in watchers)
            {
                _ = Guarded(watcher);
            }
        });
    }

    /// <summary>For a circuit signed in as <paramref name="userId"/>: that person's roles, suspension or a sign-in changed.</summary>
    public IDisposable WatchSignIn(string userId, Func<SignInChanged, Task> onChanged)
    {
        ImmutableInterlocked.AddOrUpdate(ref _signInWatchers, userId, [onChanged], (_, list) => list.Add(onChanged));
        return new Subscription(() => ImmutableInterlocked.Update(ref _signInWatchers, all =>
        {
            if (!all.TryGetValue(userId, out var list))
            {
                return all;
            }

            var rest = list.Remove(onChanged);
            return rest.IsEmpty ? all.Remove(userId) : all.SetItem(userId, rest);
        }));
    }

    public Task DeliverAsync(SignInChanged changed)
    {
        if (!_signInWatchers.TryGetValue(changed.UserId, out var watchers))
        {
            return Task.CompletedTask;
        }

        return Queue(() =>
        {
            foreach (var watcher in watchers)
            {
                _ = Guarded(() => watcher(changed));
            }
        });
    }

    public int WatcherCount(long threadId) => _threadWatchers.TryGetValue(threadId, out var list) ? list.Count : 0;

    public Task DeliverAsync(ThreadEventDto threadEvent) =>
        ToThreadAsync(threadEvent.ThreadId, watcher => watcher.OnThreadEventAsync(threadEvent));

    public Task DeliverAsync(TypingChangedDto typing) =>
        ToThreadAsync(typing.ThreadId, watcher => watcher.OnTypingChangedAsync(typing));

    public Task DeliverAsync(ViewersChangedDto viewers) =>
        ToThreadAsync(viewers.ThreadId, watcher => watcher.OnViewersChangedAsync(viewers));

    public Task DeliverAsync(LiveStatusDto status)
    {
        var watchers = _threadWatchers.Values.SelectMany(list => list).ToList();
        return Queue(() =>
        {
            foreach (var watcher in watchers)
            {
                _ = Guarded(() => watcher.OnLiveStatusChangedAsync(status));
            }
        });
    }

    public Task DeliverAsync(ThreadSummaryDto changedThread)
    {
        var watchers = _listWatchers;
        return Queue(() =>
        {
            foreach (var watcher in watchers)
            {
                _ = Guarded(() => watcher(changedThread));
            }
        });
    }

    // The pages watching when the change is queued are the ones that hear it, as when it was published.
    private Task ToThreadAsync(long threadId, Func<IThreadWatcher, Task> deliver)
    {
        if (!_threadWatchers.TryGetValue(threadId, out var watchers))
        {
            return Task.CompletedTask;
        }

        return Queue(() =>
        {
            foreach (var watcher in watchers)
            {
                _ = Guarded(() => deliver(watcher));
            }
        });
    }

    private Task Queue(Action delivery)
    {
        _deliveries.Writer.TryWrite(delivery);
        return Task.CompletedTask;
    }

    // One broken page must not keep the news from the others, and its failure is seen in the log.
    private async Task Guarded(Func<Task> deliver)
    {
        try
        {
            await deliver();
        }
        catch (Exception exception)
        {
            logger.LogWarning(exception, "A page failed to take a live update");
        }
    }

    private sealed class Subscription(Action unsubscribe) : IDisposable
    {
        private Action? _unsubscribe = unsubscribe;

        public void Dispose() => Interlocked.Exchange(ref _unsubscribe, null)?.Invoke();
    }
}
