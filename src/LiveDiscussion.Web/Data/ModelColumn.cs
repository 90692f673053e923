using System.Reflection;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace LiveDiscussion.Web.Data;

/// <summary>
/// One mapped property as the writer's prepared statements see it: its column, its parameter, and the model's value
/// conversion, so a row written around SaveChanges is stored exactly as SaveChanges would store it.
/// </summary>
internal sealed record ModelColumn(string Name, string Parameter, PropertyInfo Property, ValueConverter? Converter)
{
    public static ModelColumn For(IProperty property, StoreObjectIdentifier table, string parameter) => new(
        Quote(property.GetColumnName(table)!), parameter, property.PropertyInfo!, property.GetTypeMapping().Converter);

    public static StoreObjectIdentifier TableOf(IEntityType entityType) =>
        StoreObjectIdentifier.Table(entityType.GetTableName()!, entityType.GetSchema());

    public object ValueOf(object entity)
    {
        var value = Property.GetValue(entity);
        if (value is not null && Converter is { } converter)
        {
            value = converter.ConvertToProvider(value);
        }

        return value ?? DBNull.Value;
    }

    public static string Quote(string identifier) => $"\"{identifier.Replace("\"", "\"\"")}\"";

    /// <summary>
    /// A command on the context's connection, in its current transaction: the writer's statements never run on their
    /// own, where a failed batch could leave half of its rows.
    /// </summary>
    public static SqliteCommand CommandInTransaction(DbContext db, string sql)
    {
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction() as SqliteTransaction
            ?? throw new InvalidOperationException("Run the writer's statements inside its transaction.");
        var command = ((SqliteConnection)db.Database.GetDbConnection()).CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }
}
