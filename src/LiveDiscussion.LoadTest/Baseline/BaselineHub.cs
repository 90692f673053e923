using LiveDiscussion.Contracts;
using Microsoft.AspNetCore.SignalR;

namespace LiveDiscussion.LoadTest.Baseline;

/// <summary>The real hub's watch methods and nothing else: no auth, no catch-up store, no presence.</summary>
public sealed class BaselineHub(BaselineThreads threads) : Hub<IDiscussionClient>
{
    public static string Group(long threadId) => $"thread:{threadId}";

    public async Task<ThreadCatchUp> WatchThread(long threadId, long afterSeq)
    {
        await Groups.AddToGroupAsync(Context.ConnectionId, Group(threadId));
        return new ThreadCatchUp(threadId, threads.LatestSeq(threadId), [], Truncated: false);
    }

    public Task UnwatchThread(long threadId) => Groups.RemoveFromGroupAsync(Context.ConnectionId, Group(threadId));
}
