using LiveDiscussion.Web.Data;

namespace LiveDiscussion.TestSupport;

/// <summary>
/// Two real nodes (processes) on one store, joined by a real redis-server: on one SQLite file, the setup the README
/// describes for scaling out without Docker, or on one PostgreSQL database.
/// </summary>
public sealed class Cluster : IAsyncDisposable
{
    private Cluster(RedisServer redis, TestStore store)
    {
        Redis = redis;
        Store = store;
    }

    public RedisServer Redis { get; }
    public TestStore Store { get; }
    public string DatabasePath => Store.DatabasePath;
    public NodeProcess A { get; private set; } = null!;
    public NodeProcess B { get; private set; } = null!;

    /// <param name="store">A new SQLite file unless given.</param>
    public static async Task<Cluster> StartAsync(TestStore? store = null)
    {
        var cluster = new Cluster(await RedisServer.StartAsync(), store ?? TestStore.Sqlite());
        if (cluster.Store.Provider == StoreProvider.Postgres)
        {
            // Together, as a deployment starts them: the database is migrated already, and seeding takes turns.
            Task<NodeProcess>[] starting = [cluster.StartNodeAsync(), cluster.StartNodeAsync()];
            try
            {
                await Task.WhenAll(starting);
            }
            catch
            {
                foreach (var started in starting.Where(node => node.IsCompletedSuccessfully))
                {
                    await started.Result.DisposeAsync();
                }

                await cluster.Redis.DisposeAsync();
                throw;
            }

            (cluster.A, cluster.B) = (starting[0].Result, starting[1].Result);
            return cluster;
        }

        // One after the other: the first creates and migrates the database.
        cluster.A = await cluster.StartNodeAsync();
        cluster.B = await cluster.StartNodeAsync();
        return cluster;
    }

    public Task<NodeProcess> StartNodeAsync(bool waitUntilReady = true) =>
        NodeProcess.StartAsync(Store, Redis.Connection, waitUntilReady);

    public async ValueTask DisposeAsync()
    {
        await A.DisposeAsync();
        await B.DisposeAsync();

        await Redis.DisposeAsync();
        Store.Delete();
    }
}
