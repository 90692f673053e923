using System.Text.Json;
using LiveDiscussion.Contracts;
using LiveDiscussion.Tests.Realtime;
using LiveDiscussion.TestSupport;
using LiveDiscussion.Web.Realtime;
using LiveDiscussion.Web.Realtime.ScaleOut;
using StackExchange.Redis;

namespace LiveDiscussion.Tests.ScaleOut;

/// <summary>
/// Whoever can publish to the nodes' Redis but does not hold <c>Redis:MessageKey</c> cannot reach a single viewer:
/// the nodes' messages carry HTML that pages show as it is.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class SealedNodeBusTests(SealedNodeBusTests.Fixture cluster) : IClassFixture<SealedNodeBusTests.Fixture>
{
    public sealed class Fixture : IAsyncLifetime
    {
        public Cluster Cluster { get; private set; } = null!;

        public async Task InitializeAsync() => Cluster = await Cluster.StartAsync();

        public async Task DisposeAsync() => await Cluster.DisposeAsync();
    }

    private const long ForgedReplyId = 987_654_321;
    private const int Burst = 50;

    [Fact]
    public async Task A_message_published_without_the_key_never_reaches_a_watcher_and_a_burst_of_them_is_logged_once()
    {
        var a = cluster.Cluster.A;
        var b = cluster.Cluster.B;
        using var admin = await a.AdminAsync();
        var thread = await admin.StartThreadAsync("Forged news");
        await using var watcher = await HubWatcher.ConnectAsync(b.BaseAddress);
        await watcher.WatchAsync(thread.Id);

        var forged = JsonSerializer.SerializeToUtf8Bytes<NodeMessage>(new ThreadEventNews(new ThreadEventDto(
            thread.Id, 1, ThreadEventTypes.ReplyPosted, DateTimeOffset.UtcNow,
            new ReplyDto(ForgedReplyId, thread.Id, null, new AuthorDto("Mallory", null), false, "forged",
                "<img src=x onerror=alert(document.cookie)>", DateTimeOffset.UtcNow, null, ReplyState.Visible))),
            new JsonSerializerOptions(JsonSerializerDefaults.Web));
        await using (var mallory = await ConnectionMultiplexer.ConnectAsync(cluster.Cluster.Redis.Connection))
        {
            var channel = RedisChannel.Literal(ScaleOutExtensions.Prefix + "nodes");
            var subscriber = mallory.GetSubscriber();
            // As the nodes wrote messages before they were sealed, sealed with a guessed key, and a bare forged seal.
            await subscriber.PublishAsync(channel, forged);
            await subscriber.PublishAsync(channel, new NodeMessageSeal("a-key-that-mallory-guessed-0123456789").Seal(forged));
            for (var i = 0; i < Burst; i++)
            {
                await subscriber.PublishAsync(channel, (byte[])[.. new byte[32], .. forged]);
            }
        }

        // Published after the forgeries: the channel is read in order, so once this arrives they were all handled.
        var genuine = await admin.ReplyAsync(thread.Id, "Posted by a node");
        await HubWatcher.EventuallyAsync(() => watcher.Events.Any(e => e.Reply?.Id == genuine.Id), "the genuine reply to reach B");

        Assert.DoesNotContain(watcher.Events, e => e.Reply?.Id == ForgedReplyId);
        Assert.Equal(["Posted by a node"], (await admin.GetThreadAsync(thread.Id)).Replies.Select(r => r.Body));
        foreach (var node in new[] { a, b })
        {
            await HubWatcher.EventuallyAsync(() => DropWarnings(node) > 0, "the node to log the dropped messages");
            Assert.Equal(1, DropWarnings(node));
        }
    }

    private static int DropWarnings(NodeProcess node) =>
        node.Output.Split('\n').Count(line => line.Contains("without a valid seal", StringComparison.Ordinal));
}
