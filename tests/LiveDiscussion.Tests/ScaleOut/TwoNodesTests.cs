using LiveDiscussion.TestSupport;

namespace LiveDiscussion.Tests.ScaleOut;

/// <summary>
/// Two server processes on one SQLite file, as the README's two-node setup runs them. Each test starts nodes of its own,
/// not an app shared by the class: a pair on one file, and a pair starting together on an empty one.
/// </summary>
public sealed class TwoNodesTests
{
    [Fact]
    public async Task A_sign_in_on_one_node_works_on_the_other_and_both_serve_the_same_threads()
    {
        using var nodeA = new TestApp(seedDemo: true);
        using var nodeB = new TestApp(seedDemo: true, nodeA.DatabasePath);
        nodeB.KeepDatabase();
        using var onA = await nodeA.MemberAsync("traveller");
        var thread = await onA.StartThreadAsync("Across nodes", "Written on A");

        using var onB = nodeB.Anonymous();
        onB.DefaultRequestHeaders.Authorization = onA.DefaultRequestHeaders.Authorization;
        var reply = await onB.ReplyAsync(thread.Id, "Answered on B with A's token");

        var seenOnA = await onA.GetThreadAsync(thread.Id);
        Assert.Equal(reply.Id, seenOnA.Replies.Single().Id);
        Assert.Equal(1, seenOnA.LatestSeq);
        Assert.Equal(2, (await onB.ListThreadsAsync()).Count);
    }

    [Fact]
    public async Task Two_nodes_starting_together_on_an_empty_database_migrate_it_and_import_the_demo_once()
    {
        var path = Path.Combine(Path.GetTempPath(), "livediscussion-tests", $"{Guid.NewGuid():N}.db");

        var nodes = await Task.WhenAll(
            Task.Run(() => new TestApp(seedDemo: true, path)),
            Task.Run(() => new TestApp(seedDemo: true, path)));
        nodes[0].KeepDatabase();
        try
        {
            foreach (var node in nodes)
            {
                using var client = node.Anonymous();
                Assert.Equal(8, Assert.Single(await client.ListThreadsAsync()).ReplyCount);
            }
        }
        finally
        {
            foreach (var node in nodes)
            {
                node.Dispose();
            }
        }
    }
}
