using LiveDiscussion.Contracts;
using LiveDiscussion.Tests.Realtime;
using LiveDiscussion.TestSupport;
using LiveDiscussion.Web.Realtime;

namespace LiveDiscussion.Tests.ScaleOut;

/// <summary>
/// A node asked to stop (SIGTERM, as an orchestrator or systemd asks) exits with code 0 within its shutdown timeout
/// whatever its Redis does, and every reply it accepted is stored. The stopping node has a signed-in hub client
/// watching a thread, whose connection it must close, and a poster posting through the stop; the other node reads what
/// was stored.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class StopTests
{
    public enum RedisAtTheStop
    {
        Up,
        /// <summary>Killed a while before: the node has noticed, paused live updates and stored replies without it.</summary>
        KilledMidRun,
        /// <summary>Killed just before the signal: the node finds out while it stops.</summary>
        KilledJustBefore,
        /// <summary>Frozen (SIGSTOP) just before the signal: its connections stay open and nothing is answered.</summary>
        Hung,
        /// <summary>Killed just after the signal, while the node stops.</summary>
        KilledDuringTheStop,
    }

    [Theory]
    [InlineData(RedisAtTheStop.Up)]
    [InlineData(RedisAtTheStop.KilledMidRun)]
    [InlineData(RedisAtTheStop.KilledJustBefore)]
    [InlineData(RedisAtTheStop.Hung)]
    [InlineData(RedisAtTheStop.KilledDuringTheStop)]
    public async Task A_node_asked_to_stop_exits_with_0_within_its_shutdown_timeout_and_keeps_every_reply_it_accepted(RedisAtTheStop redis)
    {
        await using var cluster = await Cluster.StartAsync();
        try
        {
            using var admin = await cluster.B.AdminAsync();
            var thread = await admin.StartThreadAsync($"Node A stops, Redis {redis}");
            using var member = await cluster.A.MemberAsync("stopper");
            await using var watcher = await HubWatcher.ConnectAsync(cluster.A.BaseAddress, member);
            await watcher.WatchAsync(thread.Id);
            var accepted = new List<long> { (await member.ReplyAsync(thread.Id, "Before anything happens")).Id };

            if (redis == RedisAtTheStop.KilledMidRun)
            {
                await cluster.Redis.StopAsync();
                using var anonymous = cluster.A.Anonymous();
                await HubWatcher.EventuallyAsync(() => anonymous.GetStringAsync("/health/ready").Result == "Degraded",
                    "A to notice that Redis is gone", timeoutMs: 10000);
                accepted.Add((await member.ReplyAsync(thread.Id, "While Redis is gone")).Id);
            }

            var posting = PostUntilTheNodeIsGoneAsync(member, thread.Id);
            await Task.Delay(300);
            if (redis == RedisAtTheStop.KilledJustBefore)
            {
                await cluster.Redis.StopAsync();
            }
            else if (redis == RedisAtTheStop.Hung)
            {
                cluster.Redis.Freeze();
            }

            var stopping = cluster.A.StopAsync(waitAtMost: TimeSpan.FromSeconds(30));
            if (redis == RedisAtTheStop.KilledDuringTheStop)
            {
                await cluster.Redis.StopAsync();
            }

            var (exitCode, took) = await stopping;
            var (postedWhileStopping, refusals) = await posting;
            if (redis == RedisAtTheStop.Hung)
            {
                cluster.Redis.Thaw();
            }

            Assert.True(exitCode == 0, $"A exited with {exitCode} after {took.TotalSeconds:0.00} s:\n{cluster.A.Output}");
            Assert.True(took < RealtimeExtensions.ShutdownTimeout,
                $"A took {took.TotalSeconds:0.00} s to stop, more than its shutdown timeout of {RealtimeExtensions.ShutdownTimeout.TotalSeconds} s:\n{cluster.A.Output}");
            // A stopping node may stop answering, but every answer it gives to a post is the post stored.
            Assert.Empty(refusals);
            accepted.AddRange(postedWhileStopping);
            var stored = (await admin.GetThreadAsync(thread.Id)).Replies.Select(reply => reply.Id).ToHashSet();
            Assert.All(accepted, id => Assert.Contains(id, stored));
        }
        finally
        {
            if (redis == RedisAtTheStop.Hung)
            {
                // A frozen Redis is killed all the same when the cluster is disposed; thawed, it also gets to exit.
                cluster.Redis.Thaw();
            }
        }
    }

    /// <summary>Posts replies one after another until the node no longer answers.</summary>
    /// <returns>The replies it accepted, and the answers that were not an acceptance.</returns>
    private static async Task<(List<long> Accepted, List<string> Refusals)> PostUntilTheNodeIsGoneAsync(HttpClient member, long threadId)
    {
        var accepted = new List<long>();
        var refusals = new List<string>();
        for (var i = 0; refusals.Count == 0; i++)
        {
            try
            {
                using var response = await member.PostReplyAsync(threadId, $"Posted as the node stops {i}", clientRequestId: $"stopping-{i}");
                if (response.IsSuccessStatusCode)
                {
                    accepted.Add((await response.ReadAsync<ReplyDto>()).Id);
                }
                else
                {
                    refusals.Add($"reply {i}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                }
            }
            catch (HttpRequestException)
            {
                break;
            }
        }

        return (accepted, refusals);
    }
}
