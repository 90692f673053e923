using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace LiveDiscussion.Web.Data;

/// <summary>
/// WAL lets readers go on while one writer commits; it is not a connection-string keyword, so every connection asks
/// for it when it opens (a no-op once the file is in WAL mode). The busy timeout makes a writer that finds another
/// writer (of this node or another process) wait inside SQLite, in short steps, instead of failing at once; what still
/// fails is retried whole by <see cref="SqliteBusyRetry"/>.
/// </summary>
/// <remarks>
/// A read-only connection (EF Core opens one to ask whether the database exists) cannot switch the file to WAL, and
/// must not try: while another node is creating the file, that would fail with "attempt to write a readonly database".
/// </remarks>
public sealed class SqliteWalInterceptor : DbConnectionInterceptor
{
    private const string BusyTimeout = "PRAGMA busy_timeout=5000;";
    private const string WalAndBusyTimeout = "PRAGMA journal_mode=WAL; " + BusyTimeout;

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = PragmasFor(connection);
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(
        DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = PragmasFor(connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string PragmasFor(DbConnection connection) =>
        new SqliteConnectionStringBuilder(connection.ConnectionString).Mode == SqliteOpenMode.ReadOnly
            ? BusyTimeout
            : WalAndBusyTimeout;
}
