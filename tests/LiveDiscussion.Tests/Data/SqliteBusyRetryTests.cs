using LiveDiscussion.Web.Data;
using Microsoft.Data.Sqlite;

namespace LiveDiscussion.Tests.Data;

/// <summary>Against a real SQLite file with a real second writer holding the lock.</summary>
public sealed class SqliteBusyRetryTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "livediscussion-tests", $"{Guid.NewGuid():N}.db");

    public SqliteBusyRetryTests()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        using var connection = Open();
        Execute(connection, "PRAGMA journal_mode=WAL; CREATE TABLE Notes (Text TEXT NOT NULL);");
    }

    [Fact]
    public async Task A_transaction_that_met_a_busy_database_runs_again_whole_and_is_stored_once()
    {
        using var holder = Open();
        using var holding = holder.BeginTransaction(deferred: false);
        Execute(holder, "INSERT INTO Notes VALUES ('held')");
        var attempts = 0;

        var writing = SqliteBusyRetry.RunAsync(async () =>
        {
            attempts++;
            // Gives up waiting after 1 s, well before the holder lets go.
            await using var connection = Open(defaultTimeoutSeconds: 1);
            await using var transaction = connection.BeginTransaction(deferred: false);
            Execute(connection, "INSERT INTO Notes VALUES ('mine')");
            await transaction.CommitAsync();
            return attempts;
        }, TimeProvider.System, CancellationToken.None);
        await Task.Delay(1500);
        holding.Commit();

        Assert.True(await writing >= 2, "the first attempt should have met the busy database");
        using var reader = Open();
        Assert.Equal(1L, Scalar(reader, "SELECT COUNT(*) FROM Notes WHERE Text = 'mine'"));
    }

    [Fact]
    public async Task Other_errors_are_not_retried()
    {
        var attempts = 0;
        await Assert.ThrowsAsync<SqliteException>(() => SqliteBusyRetry.RunAsync(() =>
        {
            attempts++;
            using var connection = Open();
            Execute(connection, "INSERT INTO NoSuchTable VALUES (1)");
            return Task.CompletedTask;
        }, TimeProvider.System, CancellationToken.None));
        Assert.Equal(1, attempts);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(_path + suffix);
        }
    }

    private SqliteConnection Open(int defaultTimeoutSeconds = 30)
    {
        var connection = new SqliteConnection($"Data Source={_path};Default Timeout={defaultTimeoutSeconds};Pooling=False");
        connection.Open();
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static long Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }
}
