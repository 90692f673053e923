using System.Data.Common;
using LiveDiscussion.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace LiveDiscussion.Web.Features.Replies;

/// <summary>
/// Tells the group-commit writer whether an author already stored a reply under a clientRequestId. It is asked for
/// nearly every new reply and the answer is nearly always no, so it is one statement prepared per transaction: an EF
/// Core query per reply (its command, reader and shaper, and the store parsing its SQL each time) costs the writer as
/// much CPU as inserting the reply. Where the connection sends statements in batches (PostgreSQL, over the network),
/// the whole batch's ids are asked in one round trip when the probe is prepared, and then answered from memory.
/// </summary>
internal sealed class ClientRequestIdProbe : IAsyncDisposable
{
    private readonly DbCommand? _command;
    private readonly DbParameter? _authorId;
    private readonly DbParameter? _clientRequestId;
    private readonly HashSet<(string AuthorId, string ClientRequestId)>? _used;

    private ClientRequestIdProbe(DbCommand command, DbParameter authorId, DbParameter clientRequestId)
    {
        _command = command;
        _authorId = authorId;
        _clientRequestId = clientRequestId;
    }

    private ClientRequestIdProbe(HashSet<(string AuthorId, string ClientRequestId)> used) => _used = used;

    /// <summary>The probe's statement and parameters, with the table, columns and types of a model.</summary>
    internal sealed record Statement(string Sql, ModelColumn AuthorId, ModelColumn ClientRequestId);

    public static Statement StatementFor(IModel model)
    {
        var replies = model.FindEntityType(typeof(Reply))!;
        var table = ModelColumn.TableOf(replies);
        var authorId = ModelColumn.For(replies.FindProperty(nameof(Reply.AuthorId))!, table, "@authorId");
        var clientRequestId = ModelColumn.For(replies.FindProperty(nameof(Reply.ClientRequestId))!, table, "@clientRequestId");
        var sql = $"SELECT 1 FROM {ModelColumn.Quote(table.Name)} WHERE {authorId.Name} = {authorId.Parameter} " +
            $"AND {clientRequestId.Name} = {clientRequestId.Parameter} LIMIT 1;";
        return new Statement(sql, authorId, clientRequestId);
    }

    /// <summary>
    /// The statement prepared on the context's connection, in its transaction; or, where the connection batches, the
    /// answers for every id in <paramref name="asked"/>, read in one round trip.
    /// </summary>
    public static async Task<ClientRequestIdProbe> PrepareAsync(
        DiscussionDbContext db, Statement statement, IReadOnlyCollection<(string AuthorId, string ClientRequestId)> asked,
        CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        if (connection.CanCreateBatch)
        {
            return new ClientRequestIdProbe(await UsedAmongAsync(db, connection, statement, asked, ct));
        }

        var command = ModelColumn.CommandInTransaction(db, statement.Sql);
        var probe = new ClientRequestIdProbe(
            command, statement.AuthorId.AddParameterTo(command), statement.ClientRequestId.AddParameterTo(command));
        await command.PrepareAsync(ct);
        return probe;
    }

    /// <summary>Whether the author stored a reply under this id; with batched answers, only ids asked for are known.</summary>
    public async Task<bool> IsUsedAsync(string authorId, string clientRequestId, CancellationToken ct)
    {
        if (_used is not null)
        {
            return _used.Contains((authorId, clientRequestId));
        }

        _authorId!.Value = authorId;
        _clientRequestId!.Value = clientRequestId;
        return await _command!.ExecuteScalarAsync(ct) is not null;
    }

    public ValueTask DisposeAsync() => _command?.DisposeAsync() ?? ValueTask.CompletedTask;

    private static async Task<HashSet<(string, string)>> UsedAmongAsync(
        DiscussionDbContext db, DbConnection connection, Statement statement,
        IReadOnlyCollection<(string AuthorId, string ClientRequestId)> asked, CancellationToken ct)
    {
        var used = new HashSet<(string, string)>();
        if (asked.Count == 0)
        {
            return used;
        }

        await using var batch = connection.CreateBatch();
        batch.Transaction = ModelColumn.TransactionOf(db);
        // Only makes the parameters, typed by the model; it never runs.
        await using var parameterFactory = connection.CreateCommand();
        foreach (var (authorId, clientRequestId) in asked)
        {
            var probe = batch.CreateBatchCommand();
            probe.CommandText = statement.Sql;
            probe.Parameters.Add(statement.AuthorId.ParameterWith(parameterFactory, authorId));
            probe.Parameters.Add(statement.ClientRequestId.ParameterWith(parameterFactory, clientRequestId));
            batch.BatchCommands.Add(probe);
        }

        await using var answers = await batch.ExecuteReaderAsync(ct);
        foreach (var pair in asked)
        {
            if (await answers.ReadAsync(ct))
            {
                used.Add(pair);
            }

            await answers.NextResultAsync(ct);
        }

        return used;
    }
}
