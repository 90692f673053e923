using System.Net.Http.Json;
using LiveDiscussion.Contracts;
using LiveDiscussion.Tests.Realtime;
using LiveDiscussion.TestSupport;

namespace LiveDiscussion.Tests.ScaleOut;

/// <summary>Redis going away and nodes dying lose nothing: every reply is stored and every viewer catches up.</summary>
[Collection(OutageCollection.Name)]
public sealed class FaultTests
{
    [Fact]
    public async Task Replies_posted_while_Redis_is_down_are_stored_and_reach_watchers_on_the_other_node_in_order_once()
    {
        await using var cluster = await Cluster.StartAsync();
        using var admin = await cluster.A.AdminAsync();
        var thread = await admin.StartThreadAsync("Through a Redis outage");
        await using var watcher = await HubWatcher.ConnectAsync(cluster.B.BaseAddress, reconnect: true);
        await watcher.FollowAsync(thread.Id);
        using var member = await cluster.A.MemberAsync("steady");

        // 10 replies a second for 8 s; Redis is killed after 1.5 s and started again 5 s later.
        var posting = PostEveryTenthOfASecondAsync(member, thread.Id, count: 80);
        await Task.Delay(1500);
        await cluster.Redis.StopAsync();
        await Task.Delay(5000);
        await cluster.Redis.StartAgainAsync();
        var failures = await posting;

        Assert.Empty(failures);
        var stored = await admin.GetThreadAsync(thread.Id);
        Assert.Equal(80, stored.Replies.Count);
        var expected = Enumerable.Range(1, (int)stored.LatestSeq).Select(seq => (long)seq).ToList();
        await HubWatcher.EventuallyAsync(() => watcher.Applied.SequenceEqual(expected),
            $"B's watcher to have every seq once, in order (has {watcher.Applied.Count} of {expected.Count})", timeoutMs: 20000);
        Assert.Contains(watcher.LiveStatuses, status => status.Paused);
        // B's watcher can have every reply before B tells it the link is live again; its banner must still clear.
        await HubWatcher.EventuallyAsync(() => !watcher.LiveStatuses.Last().Paused,
            "B's watcher to be told the link is live again", timeoutMs: 20000);
    }

    [Fact]
    public async Task A_node_started_while_Redis_is_down_serves_pages_and_hub_clients_and_joins_in_when_Redis_starts()
    {
        await using var cluster = await Cluster.StartAsync();
        await cluster.Redis.StopAsync();
        await using var late = await cluster.StartNodeAsync(waitUntilReady: false);
        using var anonymous = late.Anonymous();

        Assert.True((await anonymous.GetAsync("/")).IsSuccessStatusCode);
        var ready = await anonymous.GetAsync("/health/ready");
        Assert.True(ready.IsSuccessStatusCode);
        Assert.Equal("Degraded", await ready.Content.ReadAsStringAsync());
        using var admin = await late.AdminAsync();
        var thread = await admin.StartThreadAsync("Started without Redis");

        // A hub client takes a node without Redis as a page does: told that live updates are paused, and given live
        // what that node stores.
        await using var watcher = await HubWatcher.ConnectAsync(late.BaseAddress);
        await watcher.FollowAsync(thread.Id);
        Assert.True(Assert.Single(watcher.LiveStatuses).Paused);
        var local = await admin.ReplyAsync(thread.Id, "Posted on the late node while Redis is down");
        await HubWatcher.EventuallyAsync(() => watcher.Events.Any(e => e.Reply?.Id == local.Id), "the late node's reply to reach its watcher");
        using var member = await cluster.A.MemberAsync();
        var meanwhile = await member.ReplyAsync(thread.Id, "Posted on A while the late node has no Redis");

        await cluster.Redis.StartAgainAsync();
        using var anonymousOnA = cluster.A.Anonymous();
        await HubWatcher.EventuallyAsync(
            () => anonymous.GetStringAsync("/health/ready").Result == "Healthy"
                && anonymousOnA.GetStringAsync("/health/ready").Result == "Healthy",
            "both nodes to be ready", timeoutMs: 20000);
        await HubWatcher.EventuallyAsync(() => watcher.LiveStatuses.LastOrDefault()?.Paused == false, "the watcher to be told live updates flow");
        var reply = await member.ReplyAsync(thread.Id, "Posted on A, seen on the late node");
        await HubWatcher.EventuallyAsync(() => watcher.Events.Any(e => e.Reply?.Id == reply.Id), "the reply to reach the late node");
        var expected = Enumerable.Range(1, (int)(await admin.GetThreadAsync(thread.Id)).LatestSeq).Select(seq => (long)seq).ToList();
        await HubWatcher.EventuallyAsync(() => watcher.Applied.SequenceEqual(expected),
            $"the watcher to have every seq once, in order, A's reply from the catch-up included (has {watcher.Applied.Count})");
        Assert.DoesNotContain(watcher.Events, e => e.Reply?.Id == meanwhile.Id);
    }

    [Fact]
    public async Task Watchers_of_a_killed_node_stop_being_counted_reconnect_when_it_is_back_and_catch_up()
    {
        await using var cluster = await Cluster.StartAsync();
        using var admin = await cluster.A.AdminAsync();
        var thread = await admin.StartThreadAsync("Node B dies");
        await using var onA = await HubWatcher.ConnectAsync(cluster.A.BaseAddress);
        await onA.WatchAsync(thread.Id);
        var watchers = new List<HubWatcher>();
        for (var i = 0; i < 3; i++)
        {
            var watcher = await HubWatcher.ConnectAsync(cluster.B.BaseAddress, reconnect: true);
            await watcher.FollowAsync(thread.Id);
            watchers.Add(watcher);
        }

        await HubWatcher.EventuallyAsync(() => onA.Viewers.LastOrDefault()?.Count == 4, "A to count its viewer and B's three");
        using var member = await cluster.A.MemberAsync();
        await member.ReplyAsync(thread.Id, "Before the crash");
        await cluster.B.KillAsync();
        for (var i = 0; i < 5; i++)
        {
            await member.ReplyAsync(thread.Id, $"While B is down {i}");
        }

        // B never said goodbye; its count expires.
        await HubWatcher.EventuallyAsync(() => onA.Viewers.LastOrDefault()?.Count == 1,
            "A to stop counting the dead node's viewers within 30 s", timeoutMs: 30000);

        await cluster.B.StartAgainAsync();
        await member.ReplyAsync(thread.Id, "After B is back");

        var latestSeq = (await admin.GetThreadAsync(thread.Id)).LatestSeq;
        var expected = Enumerable.Range(1, (int)latestSeq).Select(seq => (long)seq).ToList();
        foreach (var watcher in watchers)
        {
            await HubWatcher.EventuallyAsync(() => watcher.Applied.SequenceEqual(expected),
                $"a watcher of B to have all {expected.Count} events once, in order (has {watcher.Applied.Count})", timeoutMs: 30000);
            await watcher.DisposeAsync();
        }
    }

    private static async Task<List<string>> PostEveryTenthOfASecondAsync(HttpClient member, long threadId, int count)
    {
        var failures = new List<string>();
        var start = DateTime.UtcNow;
        for (var i = 0; i < count; i++)
        {
            var due = start.AddMilliseconds(100 * i) - DateTime.UtcNow;
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due);
            }

            var response = await member.PostReplyAsync(threadId, $"Reply {i}", clientRequestId: $"steady-{i}");
            if (!response.IsSuccessStatusCode)
            {
                failures.Add($"reply {i}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
        }

        return failures;
    }
}
