using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace LiveDiscussion.Web.Data;

/// <summary>
/// Writes a few properties of existing rows, found by their key, with a single prepared statement inside the caller's
/// EF Core transaction; columns and conversions come from the EF Core model, as for <see cref="PreparedInsert{TEntity}"/>.
/// </summary>
/// <remarks>
/// For the group-commit writer, which moves each of its threads' seq and last activity once per transaction: with
/// SaveChanges (change detection, a statement built and parsed anew) that costs as much CPU as the batch's inserts.
/// </remarks>
public sealed class PreparedUpdate<TEntity> where TEntity : class
{
    private readonly string _sql;
    private readonly ModelColumn[] _columns;
    private readonly ModelColumn _key;

    public PreparedUpdate(IModel model, params string[] propertyNames)
    {
        var entityType = model.FindEntityType(typeof(TEntity))
            ?? throw new InvalidOperationException($"{typeof(TEntity).Name} is not in the model.");
        var table = ModelColumn.TableOf(entityType);
        if (entityType.FindPrimaryKey()!.Properties is not [var key])
        {
            throw new InvalidOperationException($"{typeof(TEntity).Name} has a composite key.");
        }

        _columns = [.. propertyNames.Select((name, i) => ModelColumn.For(
            entityType.FindProperty(name) ?? throw new InvalidOperationException($"{typeof(TEntity).Name}.{name} is not mapped."),
            table, $"@p{i}"))];
        _key = ModelColumn.For(key, table, "@key");
        var assignments = string.Join(", ", _columns.Select(c => $"{c.Name} = {c.Parameter}"));
        _sql = $"UPDATE {ModelColumn.Quote(table.Name)} SET {assignments} WHERE {_key.Name} = {_key.Parameter};";
    }

    /// <summary>Writes the properties of every row in <paramref name="rows"/>; each must exist.</summary>
    public async Task UpdateAllAsync(DbContext db, IReadOnlyCollection<TEntity> rows, CancellationToken ct = default)
    {
        if (rows.Count == 0)
        {
            return;
        }

        await using var command = ModelColumn.CommandInTransaction(db, _sql);
        var parameters = _columns.Select(c => c.AddParameterTo(command)).ToArray();
        var key = _key.AddParameterTo(command);
        await command.PrepareAsync(ct);

        foreach (var row in rows)
        {
            for (var i = 0; i < _columns.Length; i++)
            {
                parameters[i].Value = _columns[i].ValueOf(row);
            }

            key.Value = _key.ValueOf(row);
            if (await command.ExecuteNonQueryAsync(ct) != 1)
            {
                throw new InvalidOperationException($"No {typeof(TEntity).Name} with key {key.Value} to update.");
            }
        }
    }
}
