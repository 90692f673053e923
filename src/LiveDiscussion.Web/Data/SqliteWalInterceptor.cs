using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace LiveDiscussion.Web.Data;

/// <summary>
/// WAL lets readers go on while one writer commits; it is not a connection-string keyword, so every connection asks
/// for it when it opens (a no-op once the file is in WAL mode).
/// </summary>
public sealed class SqliteWalInterceptor : DbConnectionInterceptor
{
    private const string Pragmas = "PRAGMA journal_mode=WAL;";

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
