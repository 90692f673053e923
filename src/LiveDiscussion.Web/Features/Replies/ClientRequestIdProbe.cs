using LiveDiscussion.Web.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace LiveDiscussion.Web.Features.Replies;

/// <summary>
/// Tells the group-commit writer whether an author already stored a reply under a clientRequestId. It is asked for
/// nearly every new reply and the answer is nearly always no, so it is one statement prepared per transaction: an EF
/// Core query per reply (its command, reader and shaper, and SQLite parsing its SQL each time) cost the writer as much
/// CPU as inserting the reply.
/// </summary>
internal sealed class ClientRequestIdProbe : IDisposable
{
    private readonly SqliteCommand _command;
    private readonly SqliteParameter _authorId;
    private readonly SqliteParameter _clientRequestId;

    public ClientRequestIdProbe(DiscussionDbContext db)
    {
        var replies = db.Model.FindEntityType(typeof(Reply))!;
        var table = StoreObjectIdentifier.Table(replies.GetTableName()!, replies.GetSchema());
        string Column(string property) => $"\"{replies.FindProperty(property)!.GetColumnName(table)}\"";

        _command = (SqliteCommand)db.Database.GetDbConnection().CreateCommand();
        _command.Transaction = (SqliteTransaction?)db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("Probe inside the writer's transaction.");
        _command.CommandText = $"SELECT 1 FROM \"{table.Name}\" WHERE {Column(nameof(Reply.AuthorId))} = @authorId " +
            $"AND {Column(nameof(Reply.ClientRequestId))} = @clientRequestId LIMIT 1;";
        _authorId = _command.Parameters.Add("@authorId", SqliteType.Text);
        _clientRequestId = _command.Parameters.Add("@clientRequestId", SqliteType.Text);
        _command.Prepare();
    }

    public bool IsUsed(string authorId, string clientRequestId)
    {
        _authorId.Value = authorId;
        _clientRequestId.Value = clientRequestId;
        return _command.ExecuteScalar() is not null;
    }

    public void Dispose() => _command.Dispose();
}
