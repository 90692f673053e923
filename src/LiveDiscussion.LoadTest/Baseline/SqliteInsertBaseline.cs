using System.Globalization;
using Microsoft.Data.Sqlite;

namespace LiveDiscussion.LoadTest.Baseline;

/// <summary>
/// The ceiling for storage: a raw Microsoft.Data.Sqlite insert loop in a temporary file, with the server's settings —
/// <c>journal_mode=WAL</c> and SQLite's default <c>synchronous</c>, which the server leaves as it is (see
/// <c>SqliteWalInterceptor</c>) — one connection per poster and one <c>BEGIN IMMEDIATE</c> transaction per row, as the
/// server commits each reply. No EF Core, no event row, no rendering: what is left when everything but the durable
/// write is taken away. The posters take turns in process: SQLite has one writer anyway, and letting them collide
/// would measure Microsoft.Data.Sqlite's busy-retry sleeps (seconds at worst), not the storage.
/// </summary>
public sealed class SqliteInsertBaseline : IDisposable
{
    private readonly string _connectionString;
    private readonly Lock _writer = new();

    public SqliteInsertBaseline(string? directory = null)
    {
        SQLitePCL.Batteries_V2.Init();
        Path = System.IO.Path.Combine(directory ?? System.IO.Path.GetTempPath(), $"livediscussion-persist-baseline-{Guid.NewGuid():N}.db");
        _connectionString = new SqliteConnectionStringBuilder { DataSource = Path, Pooling = false }.ToString();
        using var connection = Open();
        using var create = connection.CreateCommand();
        create.CommandText = """
            CREATE TABLE replies (
                id INTEGER PRIMARY KEY,
                thread_id INTEGER NOT NULL,
                body TEXT NOT NULL,
                created_at INTEGER NOT NULL);
            """;
        create.ExecuteNonQuery();
    }

    public string Path { get; }

    /// <summary>The settings in force, read back from SQLite: "journal_mode=wal, synchronous=2 (FULL)".</summary>
    public string Settings
    {
        get
        {
            using var connection = Open();
            var journal = Scalar(connection, "PRAGMA journal_mode;");
            var synchronous = Convert.ToInt32(Scalar(connection, "PRAGMA synchronous;"), CultureInfo.InvariantCulture);
            var name = synchronous switch { 0 => "OFF", 1 => "NORMAL", 2 => "FULL", 3 => "EXTRA", _ => "?" };
            return $"journal_mode={journal}, synchronous={synchronous} ({name})";
        }
    }

    /// <summary>One poster's connection: opened in WAL mode, as the server opens each of its own.</summary>
    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        Scalar(connection, "PRAGMA journal_mode=WAL;");
        return connection;
    }

    /// <summary>Inserts one row in its own transaction; returns once it is committed.</summary>
    public void Insert(SqliteConnection connection, long threadId, string body)
    {
        using var turn = _writer.EnterScope();
        using var transaction = connection.BeginTransaction(deferred: false);
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT INTO replies (thread_id, body, created_at) VALUES ($thread, $body, $at);";
        insert.Parameters.AddWithValue("$thread", threadId);
        insert.Parameters.AddWithValue("$body", body);
        insert.Parameters.AddWithValue("$at", DateTime.UtcNow.Ticks);
        insert.ExecuteNonQuery();
        transaction.Commit();
    }

    public long CountRows()
    {
        using var connection = Open();
        return Convert.ToInt64(Scalar(connection, "SELECT COUNT(*) FROM replies;"), CultureInfo.InvariantCulture);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(Path + suffix);
        }
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
