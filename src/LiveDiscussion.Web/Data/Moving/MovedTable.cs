using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using NpgsqlTypes;

namespace LiveDiscussion.Web.Data.Moving;

/// <summary>
/// One table as the model maps it, which is the same on both stores: its columns in model order, its key and the tables
/// its foreign keys point at. Taken from the model, so a table or column added later is moved without a change here.
/// </summary>
public sealed record MovedTable(string Name, IReadOnlyList<MovedColumn> Columns, IReadOnlyList<MovedColumn> Key, IReadOnlyList<string> References)
{
    public string QuotedName => Quote(Name);

    public string ColumnList => string.Join(", ", Columns.Select(c => Quote(c.Name)));

    public string KeyList => string.Join(", ", Key.Select(c => Quote(c.Name)));

    /// <summary>An integer key PostgreSQL may number itself (an identity column), whose sequence must go on after the copied ids.</summary>
    public bool MayHaveIdentity => Key is [{ Type: var type }] && (type == typeof(long) || type == typeof(int));

    /// <summary>Every table of the model, each after the tables it points at, so a copied row always finds its principal.</summary>
    public static IReadOnlyList<MovedTable> InCopyOrder(IModel model)
    {
        var tables = model.GetRelationalModel().Tables.Select(From).ToDictionary(t => t.Name, StringComparer.Ordinal);
        var ordered = new List<MovedTable>(tables.Count);
        var placed = new HashSet<string>(StringComparer.Ordinal);
        while (ordered.Count < tables.Count)
        {
            // The first (by name) table whose principals are all placed: one order on every run.
            var next = tables.Values
                .Where(t => !placed.Contains(t.Name) && t.References.All(placed.Contains))
                .MinBy(t => t.Name, StringComparer.Ordinal)
                ?? throw new InvalidOperationException(
                    "The model's tables point at each other in a cycle: " + string.Join(", ", tables.Keys.Except(placed)));
            ordered.Add(next);
            placed.Add(next.Name);
        }

        return ordered;
    }

    public static string Quote(string name) => $"\"{name.Replace("\"", "\"\"")}\"";

    /// <summary>How a row is named in a message: its key, e.g. <c>Id=42</c>.</summary>
    public string RowName(IReadOnlyList<object> row) =>
        string.Join(", ", Key.Select(k => $"{k.Name}={row[PositionOf(k)]}"));

    public int PositionOf(MovedColumn column) => Columns.Select((c, position) => (c, position)).First(p => p.c == column).position;

    private static MovedTable From(ITable table)
    {
        var columns = table.Columns.Select(MovedColumn.From).ToList();
        var key = table.PrimaryKey?.Columns.Select(k => columns.Single(c => c.Name == k.Name)).ToList()
            ?? throw new InvalidOperationException($"The table {table.Name} has no primary key, so a second run could not tell which rows are there.");
        var references = table.ForeignKeyConstraints
            .Select(fk => fk.PrincipalTable.Name)
            .Where(principal => principal != table.Name)
            .Distinct()
            .ToList();
        return new MovedTable(table.Name, columns, key, references);
    }
}

/// <summary>A column with the type its values have as stored (after value converters: ticks, enum names) on both stores.</summary>
public sealed record MovedColumn(string Name, Type Type, int? MaxLength, NpgsqlDbType DbType)
{
    public static MovedColumn From(IColumn column)
    {
        var type = Nullable.GetUnderlyingType(column.ProviderClrType) ?? column.ProviderClrType;
        return new MovedColumn(column.Name, type, column.MaxLength, DbTypeOf(type, column));
    }

    private static NpgsqlDbType DbTypeOf(Type type, IColumn column) => Type.GetTypeCode(type) switch
    {
        TypeCode.Int64 => NpgsqlDbType.Bigint,
        TypeCode.Int32 => NpgsqlDbType.Integer,
        TypeCode.Int16 => NpgsqlDbType.Smallint,
        TypeCode.Boolean => NpgsqlDbType.Boolean,
        TypeCode.String => NpgsqlDbType.Text,
        TypeCode.Double => NpgsqlDbType.Double,
        TypeCode.Decimal => NpgsqlDbType.Numeric,
        _ when type == typeof(byte[]) => NpgsqlDbType.Bytea,
        _ when type == typeof(Guid) => NpgsqlDbType.Uuid,
        _ => throw new InvalidOperationException(
            $"The column {column.Table.Name}.{column.Name} holds {type.Name} values, which the move does not know how to copy."),
    };
}
