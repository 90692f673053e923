using LiveDiscussion.Web.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace LiveDiscussion.TestSupport;

/// <summary>
/// Where a test's app or nodes keep their data: a SQLite file of its own (the default), or a database of its own on
/// the test process's PostgreSQL server (<see cref="PostgresServer"/>), copied from its migrated template.
/// </summary>
public sealed record TestStore(StoreProvider Provider, string ConnectionString, string? FilePath = null)
{
    /// <summary>A SQLite file: <paramref name="databasePath"/>, or a new one in the temp folder.</summary>
    public static TestStore Sqlite(string? databasePath = null)
    {
        var path = databasePath ?? Path.Combine(Path.GetTempPath(), "livediscussion-tests", $"{Guid.NewGuid():N}.db");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return new TestStore(StoreProvider.Sqlite, $"Data Source={path}", path);
    }

    /// <summary>A new PostgreSQL database, migrated; the server starts with the first one the test process asks for.</summary>
    public static async Task<TestStore> PostgresAsync()
    {
        var server = await PostgresServer.SharedAsync();
        return new TestStore(StoreProvider.Postgres, await server.CreateDatabaseAsync());
    }

    /// <summary>As <see cref="PostgresAsync"/>, for a fixture's constructor, which cannot await.</summary>
    public static TestStore Postgres() => Task.Run(PostgresAsync).GetAwaiter().GetResult();

    /// <summary>The SQLite file; a PostgreSQL store has none.</summary>
    public string DatabasePath => FilePath ?? throw new InvalidOperationException("This store is a PostgreSQL database, not a file.");

    /// <summary>The configuration a node on this store is given, by key.</summary>
    public IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        [DataExtensions.ProviderKey] = Provider.ToString(),
        [DataExtensions.ConnectionStringKey] = ConnectionString,
    };

    /// <summary>A context of the test's own on the store, for reading what the app stored as it is stored.</summary>
    public DiscussionDbContext CreateContext() => Provider == StoreProvider.Postgres
        ? new PostgresDiscussionDbContext(new DbContextOptionsBuilder<PostgresDiscussionDbContext>()
            .UseNpgsql(ConnectionString)
            .Options)
        : new DiscussionDbContext(new DbContextOptionsBuilder<DiscussionDbContext>()
            .UseSqlite(new SqliteConnectionStringBuilder(ConnectionString) { Pooling = false }.ToString())
            .AddInterceptors(new SqliteWalInterceptor())
            .Options);

    /// <summary>Removes a SQLite file and its WAL; a PostgreSQL database goes with the server at the end of the run.</summary>
    public void Delete()
    {
        if (FilePath is null)
        {
            return;
        }

        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(FilePath + suffix);
        }
    }
}
