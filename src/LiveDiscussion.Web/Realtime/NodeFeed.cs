using System.Collections.Immutable;
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
/// not reach them; they subscribe here instead. Delivery does not wait for the pages: each page queues the work on its
/// own circuit (in arrival order), so a slow page never slows down the request that made the change.
/// </summary>
public sealed class NodeFeed(ILogger<NodeFeed> logger)
{
    private ImmutableDictionary<long, ImmutableList<IThreadWatcher>> _threadWatchers =
        ImmutableDictionary<long, ImmutableList<IThreadWatcher>>.Empty;

    private ImmutableList<Func<ThreadSummaryDto, Task>> _listWatchers = [];

    private ImmutableList<Func<Task>> _queueWatchers = [];

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
        foreach (var watcher in _queueWatchers)
        {
            _ = Guarded(watcher);
        }

        return Task.CompletedTask;
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
        foreach (var watcher in _threadWatchers.Values.SelectMany(list => list))
        {
            _ = Guarded(() => watcher.OnLiveStatusChangedAsync(status));
        }

        return Task.CompletedTask;
    }

    public Task DeliverAsync(ThreadSummaryDto changedThread)
    {
        foreach (var watcher in _listWatchers)
        {
            _ = Guarded(() => watcher(changedThread));
        }

        return Task.CompletedTask;
    }

    private Task ToThreadAsync(long threadId, Func<IThreadWatcher, Task> deliver)
    {
        if (_threadWatchers.TryGetValue(threadId, out var watchers))
        {
            foreach (var watcher in watchers)
            {
                _ = Guarded(() => deliver(watcher));
            }
        }

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
