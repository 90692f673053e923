using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace LiveDiscussion.Web.Data;

/// <summary>
/// WAL lets readers go on while one writer commits; it is not a connection-string keyword, so every connection asks
/// for it when it is first opened (a no-op once the file is in WAL mode). The busy timeout makes a writer that finds
/// another writer (of this node or another process) wait inside SQLite, in short steps, instead of failing at once;
/// what still fails is retried whole by <see cref="StoreRetry"/>.
/// </summary>
/// <remarks>
/// Both settings belong to the physical connection, which Microsoft.Data.Sqlite pools and hands out again on the next
/// open, so each physical connection is set up once rather than on every request that opens one.
///
/// A read-only connection (EF Core opens one to ask whether the database exists) cannot switch the file to WAL, and
/// must not try: while another node is creating the file, that would fail with "attempt to write a readonly database".
/// </remarks>
public sealed class SqliteWalInterceptor : DbConnectionInterceptor
{
    private const string BusyTimeout = "PRAGMA busy_timeout=5000;";
    private const string WalAndBusyTimeout = "PRAGMA journal_mode=WAL; " + BusyTimeout;

    private readonly ConditionalWeakTable<object, object> _setUp = new();

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (IsSetUp(connection))
        {
            return;
        }

        using var command = connection.CreateCommand();
        command.CommandText = PragmasFor(connection);
        command.ExecuteNonQuery();
        MarkSetUp(connection);
    }

    public override async Task ConnectionOpenedAsync(
        DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (IsSetUp(connection))
        {
            return;
        }

        await using var command = connection.CreateCommand();
        command.CommandText = PragmasFor(connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
        MarkSetUp(connection);
    }

    private bool IsSetUp(DbConnection connection) =>
        connection is SqliteConnection { Handle: { } handle } && _setUp.TryGetValue(handle, out _);

    private void MarkSetUp(DbConnection connection)
    {
        if (connection is SqliteConnection { Handle: { } handle })
        {
            _setUp.AddOrUpdate(handle, handle);
        }
    }

    private static string PragmasFor(DbConnection connection) =>
        new SqliteConnectionStringBuilder(connection.ConnectionString).Mode == SqliteOpenMode.ReadOnly
            ? BusyTimeout
            : WalAndBusyTimeout;
}
