using System.Collections.Concurrent;
using LiveDiscussion.Contracts;
using LiveDiscussion.Web.Data;
using LiveDiscussion.Web.Features.Threads;
using Microsoft.EntityFrameworkCore;

namespace LiveDiscussion.Web.Realtime;

/// <summary>
/// The one place that tells viewers about committed changes: it publishes each change once on the node bus, and every
/// node's <see cref="NodeDispatcher"/> hands it to that node's pages and hub clients, and to everyone watching the
/// thread list. Features call it after their commit and never send to clients themselves. A failure here is logged,
/// never thrown: the change is stored, and viewers that missed it catch up by seq.
/// </summary>
public sealed class ThreadEventPublisher(
    INodeBus bus,
    IDbContextFactory<DiscussionDbContext> dbFactory,
    TimeProvider clock,
    ILogger<ThreadEventPublisher> logger)
{
    public async Task PublishAsync(ThreadEventDto threadEvent)
    {
        try
        {
            await bus.PublishAsync(new ThreadEventNews(threadEvent));
        }
        catch (Exception exception)
        {
            logger.LogError(exception, "Publishing event {Seq} of thread {ThreadId} failed", threadEvent.Seq, threadEvent.ThreadId);
        }

        RequestListChange(threadEvent.ThreadId);
    }

    /// <summary>
    /// Asks for the thread's list summary to be sent soon, off the writer's path: the first change of a quiet thread is
    /// sent at once, and the changes of a busy one are folded into at most one summary per
    /// <see cref="ListChangeInterval"/>, each read after the changes it stands for.
    /// </summary>
    public void RequestListChange(long threadId)
    {
        while (true)
        {
            if (_listChangeOwed.TryAdd(threadId, false))
            {
                _ = SendListChangesAsync(threadId);
                return;
            }

            if (_listChangeOwed.TryGetValue(threadId, out var owed) && (owed || _listChangeOwed.TryUpdate(threadId, true, false)))
            {
                return;
            }
        }
    }

    public static readonly TimeSpan ListChangeInterval = TimeSpan.FromMilliseconds(250);

    // Thread id → whether another summary is owed after the one being sent; absent when none is being sent.
    private readonly ConcurrentDictionary<long, bool> _listChangeOwed = new();

    private async Task SendListChangesAsync(long threadId)
    {
        await Task.Yield();
        while (true)
        {
            await PublishListChangeAsync(threadId);
            await Task.Delay(ListChangeInterval, clock);
            if (_listChangeOwed.TryUpdate(threadId, false, true)
                || !_listChangeOwed.TryRemove(new KeyValuePair<long, bool>(threadId, false)))
            {
                continue;
            }

            return;
        }
    }

    /// <summary>Tells thread-list viewers that a thread is new or changed.</summary>
    private async Task PublishListChangeAsync(long threadId)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            var summary = await ThreadService.SummaryAsync(db, threadId);
            if (summary is not null)
            {
                await bus.PublishAsync(new ThreadListNews(summary));
            }
        }
        catch (Exception exception)
        {
            logger.LogError(exception, "Publishing the list change of thread {ThreadId} failed", threadId);
        }
    }

    /// <summary>
    /// Tells every node that a person's roles or suspension changed, or that one of their sign-ins ended, so their open
    /// pages check their sign-in now.
    /// </summary>
    public async Task PublishSignInChangedAsync(string userId, string? endedSignInId = null)
    {
        try
        {
            await bus.PublishAsync(new SignInChanged(userId, endedSignInId));
        }
        catch (Exception exception)
        {
            // Their pages still check within a minute, and every service checks the database on each action.
            logger.LogError(exception, "Publishing a change of a sign-in failed");
        }
    }

    /// <summary>Tells moderation pages that the queue of held replies or the list of recent decisions changed.</summary>
    public async Task PublishModerationQueueChangedAsync()
    {
        try
        {
            await bus.PublishAsync(new ModerationQueueNews());
        }
        catch (Exception exception)
        {
            logger.LogError(exception, "Publishing a change of the moderation queue failed");
        }
    }
}
