using System.Data.Common;
using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace LiveDiscussion.Web.Data;

/// <summary>
/// One mapped property as the writer's prepared statements see it: its column, its parameter, and the model's type
/// mapping (the store type and the value conversion), so a row written around SaveChanges is stored exactly as
/// SaveChanges would store it, on either store.
/// </summary>
internal sealed record ModelColumn(string Name, string Parameter, PropertyInfo Property, RelationalTypeMapping Mapping)
{
    public static ModelColumn For(IProperty property, StoreObjectIdentifier table, string parameter) => new(
        Quote(property.GetColumnName(table)!), parameter, property.PropertyInfo!, property.GetRelationalTypeMapping());

    public static StoreObjectIdentifier TableOf(IEntityType entityType) =>
        StoreObjectIdentifier.Table(entityType.GetTableName()!, entityType.GetSchema());

    public object ValueOf(object entity)
    {
        var value = Property.GetValue(entity);
        if (value is not null && Mapping.Converter is { } converter)
        {
            value = converter.ConvertToProvider(value);
        }

        return value ?? DBNull.Value;
    }

    /// <summary>
    /// The column's parameter on <paramref name="command"/>, typed by the model as SaveChanges types it: PostgreSQL
    /// prepares a statement only when every parameter has a type, and the value is set per row.
    /// </summary>
    public DbParameter AddParameterTo(DbCommand command)
    {
        var parameter = Mapping.CreateParameter(command, Parameter, value: null, nullable: true);
        command.Parameters.Add(parameter);
        return parameter;
    }

    /// <summary>
    /// The column's parameter holding <paramref name="entity"/>'s value, made (not added) by <paramref name="factory"/>;
    /// the mapping converts the value as SaveChanges does.
    /// </summary>
    public DbParameter ParameterFor(DbCommand factory, object entity) => ParameterWith(factory, Property.GetValue(entity));

    /// <summary>The column's parameter holding <paramref name="value"/> (the property's, before conversion).</summary>
    public DbParameter ParameterWith(DbCommand factory, object? value) =>
        Mapping.CreateParameter(factory, Parameter, value, nullable: true);

    public static string Quote(string identifier) => $"\"{identifier.Replace("\"", "\"\"")}\"";

    /// <summary>
    /// A command on the context's connection, in its current transaction: the writer's statements never run on their
    /// own, where a failed batch could leave half of its rows.
    /// </summary>
    public static DbCommand CommandInTransaction(DbContext db, string sql)
    {
        var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = TransactionOf(db);
        command.CommandText = sql;
        return command;
    }

    /// <summary>The context's current transaction, which every statement of the writer's runs in.</summary>
    public static DbTransaction TransactionOf(DbContext db) =>
        db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("Run the writer's statements inside its transaction.");
}
