using System.Data.Common;
using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace LiveDiscussion.Web.Data;

/// <summary>
/// Inserts many new rows of one entity with a single prepared statement inside the caller's EF Core transaction. Its
/// table, columns and value conversions are read from the EF Core model, so it follows the schema as SaveChanges does.
/// </summary>
/// <remarks>
/// For the group-commit writer, which inserts every new reply and its event: SaveChanges builds a statement per row
/// that the store then parses, and in a persist profile that pipeline costs more CPU than the inserts themselves. The rows
/// are not tracked; a store-generated key is read back and set on the entity. Where the connection sends statements
/// in batches (PostgreSQL), every row goes in one round trip instead of one each: the writer holds its threads' row
/// locks for that long. SQLite, in the process, runs the one prepared statement row by row.
/// </remarks>
public sealed class PreparedInsert<TEntity> where TEntity : class
{
    private readonly string _sql;
    private readonly ModelColumn[] _columns;
    private readonly PropertyInfo? _generatedKey;

    public PreparedInsert(IModel model)
    {
        var entityType = model.FindEntityType(typeof(TEntity))
            ?? throw new InvalidOperationException($"{typeof(TEntity).Name} is not in the model.");
        var table = ModelColumn.TableOf(entityType);
        var properties = entityType.GetProperties().ToList();
        if (properties.FirstOrDefault(p => p.IsShadowProperty()) is { } shadow)
        {
            // Its value lives in the change tracker, which these rows never enter: it would be stored as null.
            throw new InvalidOperationException($"{typeof(TEntity).Name}.{shadow.Name} is a shadow property; insert it with SaveChanges.");
        }

        var key = entityType.FindPrimaryKey()!.Properties is [var single] && single.ValueGenerated == ValueGenerated.OnAdd
            ? single
            : null;
        var inserted = properties.Where(p => p != key).ToList();
        _columns = [.. inserted.Select((p, i) => ModelColumn.For(p, table, $"@p{i}"))];
        _generatedKey = key?.PropertyInfo;

        var names = string.Join(", ", _columns.Select(c => c.Name));
        var values = string.Join(", ", _columns.Select(c => c.Parameter));
        var returning = key is null ? "" : $" RETURNING {ModelColumn.Quote(key.GetColumnName(table)!)}";
        _sql = $"INSERT INTO {ModelColumn.Quote(table.Name)} ({names}) VALUES ({values}){returning};";
    }

    /// <summary>Inserts <paramref name="rows"/> in order within the context's current transaction.</summary>
    public async Task InsertAllAsync(DbContext db, IReadOnlyList<TEntity> rows, CancellationToken ct = default)
    {
        if (rows.Count == 0)
        {
            return;
        }

        var connection = db.Database.GetDbConnection();
        if (connection.CanCreateBatch && rows.Count > 1)
        {
            await InsertInOneBatchAsync(db, connection, rows, ct);
            return;
        }

        await using var command = ModelColumn.CommandInTransaction(db, _sql);
        var parameters = _columns.Select(c => c.AddParameterTo(command)).ToArray();
        await command.PrepareAsync(ct);

        foreach (var row in rows)
        {
            for (var i = 0; i < _columns.Length; i++)
            {
                parameters[i].Value = _columns[i].ValueOf(row);
            }

            if (_generatedKey is null)
            {
                await command.ExecuteNonQueryAsync(ct);
            }
            else
            {
                _generatedKey.SetValue(row, Convert.ChangeType(await command.ExecuteScalarAsync(ct), _generatedKey.PropertyType));
            }
        }
    }

    private async Task InsertInOneBatchAsync(DbContext db, DbConnection connection, IReadOnlyList<TEntity> rows, CancellationToken ct)
    {
        await using var batch = connection.CreateBatch();
        batch.Transaction = ModelColumn.TransactionOf(db);
        // Only makes the parameters, typed by the model as for the prepared statement; it never runs.
        await using var parameterFactory = connection.CreateCommand();
        foreach (var row in rows)
        {
            var insert = batch.CreateBatchCommand();
            insert.CommandText = _sql;
            foreach (var column in _columns)
            {
                insert.Parameters.Add(column.ParameterFor(parameterFactory, row));
            }

            batch.BatchCommands.Add(insert);
        }

        if (_generatedKey is null)
        {
            await batch.ExecuteNonQueryAsync(ct);
            return;
        }

        await using var keys = await batch.ExecuteReaderAsync(ct);
        foreach (var row in rows)
        {
            if (!await keys.ReadAsync(ct))
            {
                throw new InvalidOperationException($"The batch returned no key for a {typeof(TEntity).Name}.");
            }

            _generatedKey.SetValue(row, Convert.ChangeType(keys.GetValue(0), _generatedKey.PropertyType));
            await keys.NextResultAsync(ct);
        }
    }
}
