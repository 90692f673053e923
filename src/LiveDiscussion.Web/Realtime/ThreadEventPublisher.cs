using LiveDiscussion.Contracts;
using LiveDiscussion.Web.Data;
using LiveDiscussion.Web.Features.Threads;
using Microsoft.EntityFrameworkCore;

namespace LiveDiscussion.Web.Realtime;

/// <summary>
/// The one place that tells viewers about committed changes: hub clients through the thread's group (on every node,
/// through the backplane when there is one), Blazor circuits through the node bus, and everyone watching the thread
/// list. Features call it after their commit and never send to clients themselves. A failure here is logged, never
/// thrown: the change is stored, and viewers that missed it catch up by seq.
/// </summary>
public sealed class ThreadEventPublisher(
    HubGroupSender groups,
    INodeBus bus,
    IDbContextFactory<DiscussionDbContext> dbFactory,
    ILogger<ThreadEventPublisher> logger)
{
    public async Task PublishAsync(ThreadEventDto threadEvent)
    {
        try
        {
            await Task.WhenAll(
                groups.ToThreadAsync(threadEvent.ThreadId, clients => clients.ThreadEvent(threadEvent)),
                bus.PublishAsync(new ThreadEventNews(threadEvent)));
        }
        catch (Exception exception)
        {
            logger.LogError(exception, "Publishing event {Seq} of thread {ThreadId} failed", threadEvent.Seq, threadEvent.ThreadId);
        }

        await PublishListChangeAsync(threadEvent.ThreadId);
    }

    /// <summary>Tells thread-list viewers that a thread is new or changed.</summary>
    public async Task PublishListChangeAsync(long threadId)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            var summary = await ThreadService.AsSummaries(db.Threads.Where(t => t.Id == threadId)).SingleOrDefaultAsync();
            if (summary is not null)
            {
                await Task.WhenAll(
                    groups.ToThreadListAsync(clients => clients.ThreadListChanged(summary)),
                    bus.PublishAsync(new ThreadListNews(summary)));
            }
        }
        catch (Exception exception)
        {
            logger.LogError(exception, "Publishing the list change of thread {ThreadId} failed", threadId);
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
