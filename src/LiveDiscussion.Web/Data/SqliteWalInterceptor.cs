using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace LiveDiscussion.Web.Data;

/// <summary>
/// WAL lets readers go on while one writer commits; it is not a connection-string keyword, so every connection asks
/// for it when it opens (a no-op once the file is in WAL mode). The busy timeout makes a writer that finds another
/// writer (of this node or another process) wait inside SQLite, in short steps, instead of failing at once; what still
/// fails is retried whole by <see cref="SqliteBusyRetry"/>.
/// </summary>
public sealed class SqliteWalInterceptor : DbConnectionInterceptor
{
    private const string Pragmas = "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=5000;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(
        DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
