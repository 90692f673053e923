using System.Globalization;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using LiveDiscussion.Web.Features.Events;
using LiveDiscussion.Web.Features.Threads;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;

namespace LiveDiscussion.Web.Data.Moving;

/// <summary>How far a move is: rows of every table handled so far, of all there are, and the table being copied.</summary>
public sealed record MoveProgress(string Table, long RowsDone, long RowsTotal)
{
    public double Fraction => RowsTotal == 0 ? 1 : (double)RowsDone / RowsTotal;
}

/// <summary>One table's rows: copied by this run, or found already there (an earlier run copied them).</summary>
public sealed record TableMoved(string Table, long Copied, long AlreadyThere);

/// <summary>What a move did, and what the check after it found different between the two stores (nothing: OK).</summary>
public sealed record MoveReport(IReadOnlyList<TableMoved> Tables, int ThreadsChecked, IReadOnlyList<string> Mismatches)
{
    public bool Ok => Mismatches.Count == 0;
}

/// <summary>A move that cannot start or go on, with the one line that says why.</summary>
public sealed class MoveRefusedException(string message, Exception? cause = null) : Exception(message, cause);

/// <summary>
/// Copies a site's SQLite database into a PostgreSQL database, losing nothing, and checks the copy. The source is read
/// in one read transaction, so the copy is of one moment even if the site is still running. The target is migrated
/// first, then every table of the model is copied in foreign-key order (replies by id, so a parent is always there
/// before its answers), keys and all, in batches that are each their own transaction: an interrupted run leaves whole
/// batches, and a second run skips the rows already there and copies the rest. A target holding a row the source does
/// not have is refused before anything is written, naming the table.
/// </summary>
public sealed class DatabaseMove
{
    /// <summary>Rows per INSERT, each its own transaction.</summary>
    public const int BatchRows = 1_000;

    /// <summary>PostgreSQL takes at most 65,535 parameters in one statement.</summary>
    private const int MaxParameters = 60_000;

    /// <summary>Target keys looked up in the source at once, when the target is not empty.</summary>
    private const int KeyCheckRows = 500;

    private readonly SqliteConnection _source;
    private readonly SqliteTransaction _snapshot;
    private readonly NpgsqlConnection _target;
    private readonly string _targetName;
    private readonly IModel _model;
    private readonly IReadOnlyList<MovedTable> _tables;

    private DatabaseMove(SqliteConnection source, SqliteTransaction snapshot, NpgsqlConnection target, string targetName, IModel model)
    {
        _source = source;
        _snapshot = snapshot;
        _target = target;
        _targetName = targetName;
        _model = model;
        _tables = MovedTable.InCopyOrder(model);
    }

    /// <param name="source">A context on the site's SQLite database, already migrated.</param>
    /// <param name="targetConnectionString">The PostgreSQL database to move to; created if it is missing.</param>
    /// <exception cref="MoveRefusedException">The target cannot be used, holds other data, or refused a row.</exception>
    public static async Task<MoveReport> RunAsync(DiscussionDbContext source, string targetConnectionString,
        IProgress<MoveProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        if (!source.Database.IsSqlite())
        {
            throw new MoveRefusedException(
                $"the configured database is not SQLite ({source.Database.ProviderName}): there is nothing to move from.");
        }

        var target = TargetSettings(targetConnectionString);
        var targetName = $"the PostgreSQL database '{target.Database}' at {target.Host}:{target.Port}";
        await using var targetDb = new PostgresDiscussionDbContext(new DbContextOptionsBuilder<PostgresDiscussionDbContext>()
            .UseNpgsql(target.ConnectionString)
            .Options);
        try
        {
            await targetDb.Database.MigrateAsync(cancellationToken);
        }
        catch (Exception failure) when (Unusable(failure, target, targetName) is { } refusal)
        {
            throw refusal;
        }

        await using var targetConnection = new NpgsqlConnection(target.ConnectionString);
        try
        {
            await targetConnection.OpenAsync(cancellationToken);
        }
        catch (Exception failure) when (Unusable(failure, target, targetName) is { } refusal)
        {
            throw refusal;
        }

        await source.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            var sqlite = (SqliteConnection)source.Database.GetDbConnection();
            // Deferred: a read transaction, which sees one moment of the file and leaves the site's writers alone.
            await using var snapshot = sqlite.BeginTransaction(deferred: true);
            return await new DatabaseMove(sqlite, snapshot, targetConnection, targetName, targetDb.Model)
                .MoveAsync(progress, cancellationToken);
        }
        finally
        {
            await source.Database.CloseConnectionAsync();
        }
    }

    private async Task<MoveReport> MoveAsync(IProgress<MoveProgress>? progress, CancellationToken cancellationToken)
    {
        var sourceCounts = new Dictionary<string, long>();
        foreach (var table in _tables)
        {
            sourceCounts[table.Name] = await SourceScalarAsync($"SELECT COUNT(*) FROM {table.QuotedName}", cancellationToken);
        }

        foreach (var table in _tables)
        {
            await RefuseRowsNotInSourceAsync(table, cancellationToken);
        }

        var total = sourceCounts.Values.Sum();
        var done = 0L;
        var moved = new List<TableMoved>();
        foreach (var table in _tables)
        {
            progress?.Report(new MoveProgress(table.Name, done, total));
            long copied = 0, read = 0;
            await foreach (var batch in SourceBatchesAsync(table, cancellationToken))
            {
                copied += await InsertAsync(table, batch, cancellationToken);
                read += batch.Count;
                done += batch.Count;
                progress?.Report(new MoveProgress(table.Name, done, total));
            }

            moved.Add(new TableMoved(table.Name, copied, read - copied));
        }

        progress?.Report(new MoveProgress("", total, total));
        await ResetSequencesAsync(cancellationToken);

        var mismatches = new List<string>();
        foreach (var table in _tables)
        {
            var inTarget = await TargetScalarAsync($"SELECT COUNT(*) FROM {table.QuotedName}", cancellationToken);
            if (inTarget != sourceCounts[table.Name])
            {
                mismatches.Add($"{table.Name}: {sourceCounts[table.Name]:N0} rows in SQLite, {inTarget:N0} in PostgreSQL");
            }
        }

        var threads = await CompareSeqsAsync(mismatches, cancellationToken);
        return new MoveReport(moved, threads, mismatches);
    }

    /// <summary>
    /// A row in the target that the source lacks is someone else's data (or the site kept running on PostgreSQL): the
    /// move stops before writing anything, naming the table.
    /// </summary>
    private async Task RefuseRowsNotInSourceAsync(MovedTable table, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT {table.KeyList} FROM {table.QuotedName}", _target);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var keys = new List<object[]>(KeyCheckRows);
        bool more;
        do
        {
            more = await reader.ReadAsync(cancellationToken);
            if (more)
            {
                var key = new object[table.Key.Count];
                reader.GetValues(key);
                keys.Add(key);
            }

            if (keys.Count == KeyCheckRows || (!more && keys.Count > 0))
            {
                if (await FirstMissingFromSourceAsync(table, keys, cancellationToken) is { } missing)
                {
                    var example = string.Join(", ", table.Key.Select((k, i) => $"{k.Name}={missing[i]}"));
                    throw new MoveRefusedException(
                        $"{_targetName} already holds rows in {table.Name} that are not in the SQLite database (the first: "
                        + $"{example}). Move into a new, empty database, or into one that an earlier run filled from this "
                        + "SQLite database.");
                }

                keys.Clear();
            }
        }
        while (more);
    }

    private async Task<object[]?> FirstMissingFromSourceAsync(MovedTable table, List<object[]> keys, CancellationToken cancellationToken)
    {
        await using var command = SourceCommand("");
        var parameters = keys.Select((key, row) => table.Key.Select((_, column) =>
        {
            var name = $"$k{row}_{column}";
            command.Parameters.AddWithValue(name, key[column]);
            return name;
        }).ToList()).ToList();
        var where = table.Key is [var only]
            ? $"{MovedTable.Quote(only.Name)} IN ({string.Join(", ", parameters.Select(p => p[0]))})"
            : string.Join(" OR ", parameters.Select(row =>
                "(" + string.Join(" AND ", table.Key.Select((k, column) => $"{MovedTable.Quote(k.Name)} = {row[column]}")) + ")"));
        command.CommandText = $"SELECT {table.KeyList} FROM {table.QuotedName} WHERE {where}";

        var found = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var key = new object[table.Key.Count];
            reader.GetValues(key);
            found.Add(KeyText(key));
        }

        return keys.FirstOrDefault(key => !found.Contains(KeyText(key)));
    }

    private static string KeyText(object[] key) =>
        string.Join('\u001f', key.Select(part => Convert.ToString(part, CultureInfo.InvariantCulture)));

    /// <summary>The table's rows in key order, as the target's column types take them, a batch at a time.</summary>
    private async IAsyncEnumerable<List<object[]>> SourceBatchesAsync(
        MovedTable table, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var batchRows = Math.Min(BatchRows, MaxParameters / table.Columns.Count);
        await using var command = SourceCommand($"SELECT {table.ColumnList} FROM {table.QuotedName} ORDER BY {table.KeyList}");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var batch = new List<object[]>(batchRows);
        while (await reader.ReadAsync(cancellationToken))
        {
            var row = new object[table.Columns.Count];
            reader.GetValues(row);
            batch.Add(AsTargetTakesIt(table, row));
            if (batch.Count == batchRows)
            {
                yield return batch;
                batch = new List<object[]>(batchRows);
            }
        }

        if (batch.Count > 0)
        {
            yield return batch;
        }
    }

    /// <summary>
    /// SQLite keeps integers and booleans alike as 64-bit integers and checks no text length; PostgreSQL wants each
    /// column's own type, and refuses a text over its column's length or holding NUL. A row it would refuse stops the
    /// move here, named, rather than as a failed batch.
    /// </summary>
    private static object[] AsTargetTakesIt(MovedTable table, object[] row)
    {
        for (var i = 0; i < row.Length; i++)
        {
            var column = table.Columns[i];
            if (row[i] is DBNull)
            {
                continue;
            }

            if (row[i] is string text)
            {
                if (text.Contains('\0'))
                {
                    throw new MoveRefusedException(
                        $"{table.Name} row {table.RowName(row)}: {column.Name} holds a NUL character, which PostgreSQL cannot "
                        + "store. Remove it in the SQLite database and run the command again; the rows copied so far stay.");
                }

                if (column.MaxLength is { } max && text.Length > max && text.EnumerateRunes().Count() is var length && length > max)
                {
                    throw new MoveRefusedException(
                        $"{table.Name} row {table.RowName(row)}: {column.Name} is {length:N0} characters long, and PostgreSQL "
                        + $"takes at most {max:N0} there. Shorten it in the SQLite database and run the command again; the rows "
                        + "copied so far stay.");
                }
            }

            if (row[i].GetType() != column.Type)
            {
                try
                {
                    row[i] = Convert.ChangeType(row[i], column.Type, CultureInfo.InvariantCulture);
                }
                catch (Exception wrong) when (wrong is InvalidCastException or FormatException or OverflowException)
                {
                    throw new MoveRefusedException(
                        $"{table.Name} row {table.RowName(row)}: {column.Name} holds '{row[i]}', which is not a {column.Type.Name}.", wrong);
                }
            }
        }

        return row;
    }

    /// <summary>One statement, so one transaction; rows whose key is already there are left as they are.</summary>
    private async Task<int> InsertAsync(MovedTable table, List<object[]> rows, CancellationToken cancellationToken)
    {
        var values = string.Join(", ", rows.Select((_, row) =>
            "(" + string.Join(", ", table.Columns.Select((_, column) => $"${row * table.Columns.Count + column + 1}")) + ")"));
        await using var insert = new NpgsqlCommand(
            $"INSERT INTO {table.QuotedName} ({table.ColumnList}) VALUES {values} ON CONFLICT ({table.KeyList}) DO NOTHING",
            _target);
        foreach (var row in rows)
        {
            for (var column = 0; column < row.Length; column++)
            {
                insert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = table.Columns[column].DbType, Value = row[column] });
            }
        }

        try
        {
            return await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException refused)
        {
            throw new MoveRefusedException(
                $"{table.Name}: {_targetName} refused the rows from {table.RowName(rows[0])} to {table.RowName(rows[^1])}: "
                + $"{refused.MessageText}{(refused.Detail is { } detail ? $" ({detail})" : "")}. The rows copied so far stay.", refused);
        }
        catch (NpgsqlException lost)
        {
            throw new MoveRefusedException(
                $"{table.Name}: lost {_targetName} while copying ({Innermost(lost).Message}). The rows copied so far stay; run "
                + "the command again to finish.", lost);
        }
    }

    /// <summary>Identity columns number on from the highest copied id, so the site's next insert takes a fresh one.</summary>
    private async Task ResetSequencesAsync(CancellationToken cancellationToken)
    {
        foreach (var table in _tables.Where(t => t.MayHaveIdentity))
        {
            await using var find = new NpgsqlCommand("SELECT pg_get_serial_sequence($1, $2)", _target);
            find.Parameters.Add(new NpgsqlParameter { Value = table.QuotedName });
            find.Parameters.Add(new NpgsqlParameter { Value = table.Key[0].Name });
            if (await find.ExecuteScalarAsync(cancellationToken) is not string sequence)
            {
                continue;
            }

            var key = MovedTable.Quote(table.Key[0].Name);
            await using var reset = new NpgsqlCommand(
                $"SELECT setval($1::regclass, COALESCE(MAX({key}), 1), MAX({key}) IS NOT NULL) FROM {table.QuotedName}", _target);
            reset.Parameters.Add(new NpgsqlParameter { Value = sequence });
            await reset.ExecuteScalarAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Every thread's <c>LatestSeq</c> must be the same on both sides, and on PostgreSQL equal to its event count and its
    /// highest event seq (seqs are gap-free from 1), or live clients would catch up wrongly after the move.
    /// </summary>
    /// <returns>How many threads were checked.</returns>
    private async Task<int> CompareSeqsAsync(List<string> mismatches, CancellationToken cancellationToken)
    {
        var threads = MovedTable.Quote(_model.FindEntityType(typeof(DiscussionThread))!.GetTableName()!);
        var events = MovedTable.Quote(_model.FindEntityType(typeof(ThreadEvent))!.GetTableName()!);
        var sql = $"""
            SELECT t."{nameof(DiscussionThread.Id)}", t."{nameof(DiscussionThread.LatestSeq)}",
                   COUNT(e."{nameof(ThreadEvent.Id)}"), COALESCE(MAX(e."{nameof(ThreadEvent.Seq)}"), 0)
            FROM {threads} t LEFT JOIN {events} e ON e."{nameof(ThreadEvent.ThreadId)}" = t."{nameof(DiscussionThread.Id)}"
            GROUP BY t."{nameof(DiscussionThread.Id)}", t."{nameof(DiscussionThread.LatestSeq)}"
            """;

        var inSource = new Dictionary<long, SeqFigures>();
        await using (var command = SourceCommand(sql))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                inSource[reader.GetInt64(0)] = new SeqFigures(reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3));
            }
        }

        var inTarget = new Dictionary<long, SeqFigures>();
        await using (var command = new NpgsqlCommand(sql, _target))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                inTarget[reader.GetInt64(0)] = new SeqFigures(reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3));
            }
        }

        foreach (var (thread, source) in inSource.OrderBy(t => t.Key))
        {
            if (!inTarget.TryGetValue(thread, out var target))
            {
                mismatches.Add($"thread {thread}: missing in PostgreSQL");
            }
            else if (target.LatestSeq != source.LatestSeq)
            {
                mismatches.Add($"thread {thread}: LatestSeq is {source.LatestSeq} in SQLite, {target.LatestSeq} in PostgreSQL");
            }
            else if (!target.Consistent)
            {
                mismatches.Add($"thread {thread}: LatestSeq is {target.LatestSeq}, but PostgreSQL holds {target.Events} events "
                    + $"up to seq {target.HighestSeq}"
                    + (source.Consistent ? "" : $" (SQLite: {source.Events} events up to seq {source.HighestSeq})"));
            }
        }

        return inSource.Count;
    }

    private sealed record SeqFigures(long LatestSeq, long Events, long HighestSeq)
    {
        public bool Consistent => Events == LatestSeq && HighestSeq == LatestSeq;
    }

    private SqliteCommand SourceCommand(string sql)
    {
        var command = _source.CreateCommand();
        command.Transaction = _snapshot;
        command.CommandText = sql;
        return command;
    }

    private async Task<long> SourceScalarAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = SourceCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    private async Task<long> TargetScalarAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, _target);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    private static NpgsqlConnectionStringBuilder TargetSettings(string connectionString)
    {
        NpgsqlConnectionStringBuilder settings;
        try
        {
            settings = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (Exception wrong) when (wrong is ArgumentException or FormatException or KeyNotFoundException)
        {
            throw new MoveRefusedException($"--to is not a PostgreSQL connection string ({wrong.Message}).", wrong);
        }

        if (string.IsNullOrWhiteSpace(settings.Host) || string.IsNullOrWhiteSpace(settings.Database))
        {
            throw new MoveRefusedException(
                "--to must name the server and the database, e.g. \"Host=db;Database=livediscussion;Username=livediscussion;Password=...\".");
        }

        return settings;
    }

    /// <summary>The one line for a target that cannot be used; null for a failure that is not about the target.</summary>
    private static MoveRefusedException? Unusable(Exception failure, NpgsqlConnectionStringBuilder target, string targetName)
    {
        var server = $"PostgreSQL at {target.Host}:{target.Port}";
        if (Find<PostgresException>(failure) is { } refused)
        {
            return refused.SqlState is PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification
                ? new MoveRefusedException(
                    $"--to: {server} refused the sign-in as '{target.Username ?? Environment.UserName}': {refused.MessageText}.", failure)
                : new MoveRefusedException($"--to: {targetName}: {refused.MessageText}.", failure);
        }

        if (Find<SocketException>(failure) is { } unreachable)
        {
            return new MoveRefusedException($"--to: cannot reach {server}: {unreachable.Message}.", failure);
        }

        return Find<NpgsqlException>(failure) is { } npgsql
            ? new MoveRefusedException($"--to: cannot use {targetName}: {Innermost(npgsql).Message}", failure)
            : null;
    }

    private static T? Find<T>(Exception exception) where T : Exception =>
        exception as T ?? (exception.InnerException is { } inner ? Find<T>(inner) : null);

    private static Exception Innermost(Exception exception) =>
        exception.InnerException is { } inner ? Innermost(inner) : exception;
}
