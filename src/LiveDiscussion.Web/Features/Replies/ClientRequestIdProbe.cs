using LiveDiscussion.Web.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Metadata;

namespace LiveDiscussion.Web.Features.Replies;

/// <summary>
/// Tells the group-commit writer whether an author already stored a reply under a clientRequestId. It is asked for
/// nearly every new reply and the answer is nearly always no, so it is one statement prepared per transaction: an EF
/// Core query per reply (its command, reader and shaper, and SQLite parsing its SQL each time) costs the writer as much
/// CPU as inserting the reply.
/// </summary>
internal sealed class ClientRequestIdProbe : IDisposable
{
    private readonly SqliteCommand _command;
    private readonly SqliteParameter _authorId;
    private readonly SqliteParameter _clientRequestId;

    public ClientRequestIdProbe(DiscussionDbContext db, string sql)
    {
        _command = ModelColumn.CommandInTransaction(db, sql);
        _authorId = _command.Parameters.Add("@authorId", SqliteType.Text);
        _clientRequestId = _command.Parameters.Add("@clientRequestId", SqliteType.Text);
        _command.Prepare();
    }

    /// <summary>The probe's statement, with the table and column names of <paramref name="model"/>.</summary>
    public static string SqlFor(IModel model)
    {
        var replies = model.FindEntityType(typeof(Reply))!;
        var table = ModelColumn.TableOf(replies);
        string Column(string property) => ModelColumn.For(replies.FindProperty(property)!, table, "").Name;
        return $"SELECT 1 FROM {ModelColumn.Quote(table.Name)} WHERE {Column(nameof(Reply.AuthorId))} = @authorId " +
            $"AND {Column(nameof(Reply.ClientRequestId))} = @clientRequestId LIMIT 1;";
    }

    public bool IsUsed(string authorId, string clientRequestId)
    {
        _authorId.Value = authorId;
        _clientRequestId.Value = clientRequestId;
        return _command.ExecuteScalar() is not null;
    }

    public void Dispose() => _command.Dispose();
}
