using System.Globalization;
using Npgsql;

namespace LiveDiscussion.LoadTest.Baseline;

/// <summary>
/// The ceiling for storage on PostgreSQL: a raw Npgsql insert loop into a table of its own in the database the node
/// uses, with that server's durability (its <c>synchronous_commit</c> and <c>fsync</c>, read back and reported), one
/// connection per poster and one transaction per row, as the node commits each reply. No EF Core, no event row, no
/// thread lock, no rendering: what is left when everything but the durable write is taken away. Unlike SQLite's,
/// PostgreSQL's writers do not wait for one another, so the posters insert at once.
/// </summary>
public sealed class PostgresInsertBaseline : IAsyncDisposable
{
    private readonly NpgsqlDataSource _source;
    private readonly string _table = $"persist_baseline_{Guid.NewGuid():N}";

    private PostgresInsertBaseline(NpgsqlDataSource source) => _source = source;

    /// <summary>Connects to <paramref name="connectionString"/> and makes the baseline's table.</summary>
    public static async Task<PostgresInsertBaseline> CreateAsync(string connectionString, CancellationToken ct)
    {
        var baseline = new PostgresInsertBaseline(NpgsqlDataSource.Create(connectionString));
        await using var create = baseline._source.CreateCommand(
            $"CREATE TABLE {baseline._table} (id bigserial PRIMARY KEY, thread_id bigint NOT NULL, body text NOT NULL, created_at bigint NOT NULL)");
        await create.ExecuteNonQueryAsync(ct);
        return baseline;
    }

    /// <summary>Where the rows go, for the report: "postgres:host:port/database".</summary>
    public string Location
    {
        get
        {
            var builder = new NpgsqlConnectionStringBuilder(_source.ConnectionString);
            return $"postgres:{builder.Host}:{builder.Port}/{builder.Database}";
        }
    }

    /// <summary>The durability in force, read back from the server: "synchronous_commit=on, fsync=on".</summary>
    public async Task<string> SettingsAsync(CancellationToken ct) =>
        $"synchronous_commit={await SettingAsync("synchronous_commit", ct)}, fsync={await SettingAsync("fsync", ct)}";

    /// <summary>One poster's connection.</summary>
    public async Task<NpgsqlConnection> OpenAsync(CancellationToken ct) => await _source.OpenConnectionAsync(ct);

    /// <summary>Inserts one row in its own transaction; returns once it is committed.</summary>
    public async Task InsertAsync(NpgsqlConnection connection, long threadId, string body, CancellationToken ct)
    {
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using var insert = new NpgsqlCommand($"INSERT INTO {_table} (thread_id, body, created_at) VALUES ($1, $2, $3)", connection, transaction);
        insert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = threadId });
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = body });
        insert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = DateTime.UtcNow.Ticks });
        await insert.ExecuteNonQueryAsync(ct);
        await transaction.CommitAsync(ct);
    }

    public async Task<long> CountRowsAsync(CancellationToken ct)
    {
        await using var count = _source.CreateCommand($"SELECT COUNT(*) FROM {_table}");
        return Convert.ToInt64(await count.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
    }

    /// <summary>Drops the baseline's table: the node's database keeps nothing of the run.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await using var drop = _source.CreateCommand($"DROP TABLE IF EXISTS {_table}");
            await drop.ExecuteNonQueryAsync();
        }
        finally
        {
            await _source.DisposeAsync();
        }
    }

    private async Task<string> SettingAsync(string name, CancellationToken ct)
    {
        await using var show = _source.CreateCommand($"SHOW {name}");
        return (string)(await show.ExecuteScalarAsync(ct))!;
    }
}
