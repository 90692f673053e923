namespace LiveDiscussion.TestSupport;

/// <summary>
/// Two real nodes (processes) on one SQLite file, joined by a real redis-server: the setup the README describes for
/// scaling out without Docker.
/// </summary>
public sealed class Cluster : IAsyncDisposable
{
    private Cluster(RedisServer redis, string databasePath)
    {
        Redis = redis;
        DatabasePath = databasePath;
    }

    public RedisServer Redis { get; }
    public string DatabasePath { get; }
    public NodeProcess A { get; private set; } = null!;
    public NodeProcess B { get; private set; } = null!;

    public static async Task<Cluster> StartAsync()
    {
        var databasePath = Path.Combine(Path.GetTempPath(), "livediscussion-tests", $"{Guid.NewGuid():N}.db");
        Directory.CreateDirectory(Path.GetDirectoryName(databasePath)!);
        var cluster = new Cluster(await RedisServer.StartAsync(), databasePath);
        // One after the other: the first creates and migrates the database.
        cluster.A = await cluster.StartNodeAsync();
        cluster.B = await cluster.StartNodeAsync();
        return cluster;
    }

    public Task<NodeProcess> StartNodeAsync(bool waitUntilReady = true) =>
        NodeProcess.StartAsync(DatabasePath, Redis.Connection, waitUntilReady);

    public async ValueTask DisposeAsync()
    {
        await A.DisposeAsync();
        await B.DisposeAsync();
        await Redis.DisposeAsync();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(DatabasePath + suffix);
        }
    }
}
