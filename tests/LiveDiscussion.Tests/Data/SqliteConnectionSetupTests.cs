using LiveDiscussion.TestSupport;
using LiveDiscussion.Web.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace LiveDiscussion.Tests.Data;

/// <summary>
/// WAL and the busy timeout are set once per physical connection, so every connection the app is handed, new or
/// reused from the pool, opened synchronously or not, must carry both.
/// </summary>
public sealed class SqliteConnectionSetupTests(EmptyApp app) : IClassFixture<EmptyApp>
{
    [Fact]
    public async Task Every_connection_new_or_pooled_has_wal_and_the_busy_timeout()
    {
        var factory = app.Service<IDbContextFactory<DiscussionDbContext>>();
        SqliteConnection.ClearAllPools();

        for (var round = 0; round < 3; round++)
        {
            await using (var db = await factory.CreateDbContextAsync())
            {
                await db.Database.OpenConnectionAsync();
                Assert.Equal(("wal", 5000L), await SettingsAsync(db));
            }

            await using (var db = await factory.CreateDbContextAsync())
            {
                db.Database.OpenConnection();
                Assert.Equal(("wal", 5000L), await SettingsAsync(db));
            }
        }

        // Two connections open at once: the second is a new physical connection, not the pooled one.
        await using var first = await factory.CreateDbContextAsync();
        await using var second = await factory.CreateDbContextAsync();
        await first.Database.OpenConnectionAsync();
        await second.Database.OpenConnectionAsync();
        Assert.Equal(("wal", 5000L), await SettingsAsync(first));
        Assert.Equal(("wal", 5000L), await SettingsAsync(second));
    }

    private static async Task<(string JournalMode, long BusyTimeout)> SettingsAsync(DiscussionDbContext db)
    {
        var connection = db.Database.GetDbConnection();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        var journalMode = (string)(await command.ExecuteScalarAsync())!;
        command.CommandText = "PRAGMA busy_timeout";
        var busyTimeout = (long)(await command.ExecuteScalarAsync())!;
        return (journalMode, busyTimeout);
    }
}
