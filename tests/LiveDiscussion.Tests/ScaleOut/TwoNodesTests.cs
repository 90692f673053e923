using LiveDiscussion.TestSupport;

namespace LiveDiscussion.Tests.ScaleOut;

/// <summary>Two server processes on one SQLite file, as the README's two-node setup runs them.</summary>
public sealed class TwoNodesTests : IDisposable
{
    private readonly TestApp _nodeA = new(seedDemo: true);
    private readonly TestApp _nodeB;

    public TwoNodesTests()
    {
        _nodeB = new TestApp(seedDemo: true, _nodeA.DatabasePath);
        _nodeB.KeepDatabase();
    }

    public void Dispose()
    {
        _nodeB.Dispose();
        _nodeA.Dispose();
    }

    [Fact]
    public async Task A_sign_in_on_one_node_works_on_the_other_and_both_serve_the_same_threads()
    {
        using var onA = await _nodeA.MemberAsync("traveller");
        var thread = await onA.StartThreadAsync("Across nodes", "Written on A");

        using var onB = _nodeB.Anonymous();
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
