using System.Net.Sockets;
using LiveDiscussion.Web.Data;
using LiveDiscussion.Web.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace LiveDiscussion.Tests.Data;

/// <summary>
/// Against a real SQLite file with a real second writer holding the lock; PostgreSQL's refusals as Npgsql reports them.
/// </summary>
public sealed class StoreRetryTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "livediscussion-tests", $"{Guid.NewGuid():N}.db");

    public StoreRetryTests()
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

        var writing = StoreRetry.RunAsync(async () =>
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
        await Assert.ThrowsAsync<SqliteException>(() => StoreRetry.RunAsync(() =>
        {
            attempts++;
            using var connection = Open();
            Execute(connection, "INSERT INTO NoSuchTable VALUES (1)");
            return Task.CompletedTask;
        }, TimeProvider.System, CancellationToken.None));
        Assert.Equal(1, attempts);
    }

    [Fact]
    public async Task A_database_still_busy_after_every_attempt_is_answered_unavailable_with_a_time_to_retry()
    {
        var attempts = 0;

        var refused = await Assert.ThrowsAsync<DiscussionProblem>(() => StoreRetry.RunAsync(() =>
        {
            attempts++;
            return Task.FromException(new SqliteException("database is locked", SQLitePCL.raw.SQLITE_BUSY));
        }, TimeProvider.System, CancellationToken.None));

        Assert.Equal(StoreRetry.MaxAttempts, attempts);
        Assert.Equal((503, 2), (refused.StatusCode, refused.RetryAfterSeconds));
        Assert.Equal("The database is busy with other writes right now; nothing was changed. Try again in 2 seconds.", refused.Message);
    }

    [Fact]
    public async Task A_postgres_server_that_does_not_answer_is_waited_for_then_answered_unavailable()
    {
        var clock = new FakeTimeProvider();
        var attempts = 0;

        var writing = StoreRetry.RunAsync(() =>
        {
            attempts++;
            return Task.FromException(new NpgsqlException("Failed to connect", new SocketException((int)SocketError.ConnectionRefused)));
        }, clock, CancellationToken.None);
        while (!writing.IsCompleted)
        {
            clock.Advance(TimeSpan.FromMilliseconds(100));
            await Task.Delay(1);
        }

        var refused = await Assert.ThrowsAsync<DiscussionProblem>(() => writing);
        Assert.True(attempts > 3, $"{attempts} attempts");
        Assert.True(clock.GetUtcNow() - clock.Start >= StoreRetry.OutageWait);
        Assert.Equal((503, 5), (refused.StatusCode, refused.RetryAfterSeconds));
        Assert.Equal("The discussion's database cannot be reached right now. Try again in 5 seconds.", refused.Message);
    }

    [Theory]
    [InlineData("40P01", null, true)]
    [InlineData("40001", null, true)]
    [InlineData("23505", "IX_Replies_AuthorId_ClientRequestId", true)]
    [InlineData("23505", "IX_ThreadEvents_ThreadId_Seq", true)]
    [InlineData("23505", "UserNameIndex", false)]
    [InlineData("22001", null, false)]
    public async Task Postgres_deadlocks_and_raced_unique_keys_are_tried_again_and_other_errors_are_not(
        string sqlState, string? constraint, bool retried)
    {
        var attempts = 0;

        var run = StoreRetry.RunAsync(() =>
        {
            if (++attempts == 1)
            {
                // As EF Core reports it: the server's error inside its own.
                return Task.FromException(new InvalidOperationException("wrapped", new PostgresException(
                    "refused", "ERROR", "ERROR", sqlState, constraintName: constraint)));
            }

            return Task.CompletedTask;
        }, TimeProvider.System, CancellationToken.None);

        if (retried)
        {
            await run;
            Assert.Equal(2, attempts);
        }
        else
        {
            await Assert.ThrowsAsync<InvalidOperationException>(() => run);
            Assert.Equal(1, attempts);
        }
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
