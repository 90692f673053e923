using System.Data.Common;
using LiveDiscussion.Web.Data;
using Microsoft.EntityFrameworkCore.Metadata;

namespace LiveDiscussion.Web.Features.Replies;

/// <summary>
/// Tells the group-commit writer whether an author already stored a reply under a clientRequestId. It is asked for
/// nearly every new reply and the answer is nearly always no, so it is one statement prepared per transaction: an EF
/// Core query per reply (its command, reader and shaper, and the store parsing its SQL each time) costs the writer as
/// much CPU as inserting the reply.
/// </summary>
internal sealed class ClientRequestIdProbe : IAsyncDisposable
{
    private readonly DbCommand _command;
    private readonly DbParameter _authorId;
    private readonly DbParameter _clientRequestId;

    private ClientRequestIdProbe(DbCommand command, DbParameter authorId, DbParameter clientRequestId)
    {
        _command = command;
        _authorId = authorId;
        _clientRequestId = clientRequestId;
    }

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

    /// <summary>The statement prepared on the context's connection, in its transaction.</summary>
    public static async Task<ClientRequestIdProbe> PrepareAsync(DiscussionDbContext db, Statement statement, CancellationToken ct)
    {
        var command = ModelColumn.CommandInTransaction(db, statement.Sql);
        var probe = new ClientRequestIdProbe(
            command, statement.AuthorId.AddParameterTo(command), statement.ClientRequestId.AddParameterTo(command));
        await command.PrepareAsync(ct);
        return probe;
    }

    public async Task<bool> IsUsedAsync(string authorId, string clientRequestId, CancellationToken ct)
    {
        _authorId.Value = authorId;
        _clientRequestId.Value = clientRequestId;
        return await _command.ExecuteScalarAsync(ct) is not null;
    }

    public ValueTask DisposeAsync() => _command.DisposeAsync();
}
