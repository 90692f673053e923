using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using LiveDiscussion.Contracts;
using LiveDiscussion.Web.Data;
using LiveDiscussion.Web.Features.Content;
using LiveDiscussion.Web.Features.Replies;
using LiveDiscussion.Web.Features.Threads;
using Microsoft.EntityFrameworkCore;

namespace LiveDiscussion.Web.Features.Import;

public sealed record ImportReport(int Threads, int Replies, IReadOnlyList<string> Skipped);

/// <summary>
/// Reads a WordPress export (WXR) and turns each published post into a thread with its approved comments as a reply
/// tree. Comment authors without an account here keep their names, like guest comments.
/// </summary>
public sealed class WordPressImporter(IDbContextFactory<DiscussionDbContext> dbFactory)
{
    public const string ClosedReason = "Comments are closed.";

    private static readonly XNamespace Wp = "http://wordpress.org/export/1.2/";
    private static readonly XNamespace Content = "http://purl.org/rss/1.0/modules/content/";
    private static readonly XNamespace Dc = "http://purl.org/dc/elements/1.1/";

    public async Task<ImportReport> ImportAsync(Stream wxr, CancellationToken ct = default)
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, Async = true };
        using var reader = XmlReader.Create(wxr, settings);
        var document = await XDocument.LoadAsync(reader, LoadOptions.None, ct);
        var channel = document.Root?.Element("channel") ?? throw new InvalidDataException("Not a WordPress export: no RSS channel.");

        var site = (string?)channel.Element(Wp + "base_site_url") ?? (string?)channel.Element("link") ?? "wordpress";
        var authors = channel.Elements(Wp + "author").ToDictionary(
            a => (string)a.Element(Wp + "author_login")!,
            a => (Id: (string?)a.Element(Wp + "author_id"), Name: (string?)a.Element(Wp + "author_display_name")));
        var namesById = authors.Values.Where(a => a.Id is not null).ToDictionary(a => a.Id!, a => a.Name);

        var skipped = new List<string>();
        int threads = 0, replies = 0;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        foreach (var item in channel.Elements("item"))
        {
            var title = (string?)item.Element("title") ?? "";
            if ((string?)item.Element(Wp + "post_type") != "post" || (string?)item.Element(Wp + "status") != "publish")
            {
                skipped.Add($"\"{title}\": not a published post");
                continue;
            }

            var sourceKey = $"wp:{site}:post:{(string?)item.Element(Wp + "post_id")}";

            var login = (string?)item.Element(Dc + "creator") ?? "";
            authors.TryGetValue(login, out var author);
            var postedAt = ParseGmt((string?)item.Element(Wp + "post_date_gmt"));
            var thread = new DiscussionThread
            {
                Title = title,
                Slug = Slug.From(title),
                Body = (string?)item.Element(Content + "encoded") ?? "",
                BodyFormat = BodyFormat.Html,
                AuthorName = author.Name ?? login,
                AuthorExternalKey = author.Id is null ? null : UserKey(site, author.Id),
                SourceKey = sourceKey,
                CreatedAt = postedAt,
                LastActivityAt = postedAt,
                State = (string?)item.Element(Wp + "comment_status") == "closed" ? ThreadState.Closed : ThreadState.Open,
                IsPinned = (string?)item.Element(Wp + "is_sticky") == "1",
            };
            thread.CloseReason = thread.State == ThreadState.Closed ? ClosedReason : null;

            var allComments = item.Elements(Wp + "comment").ToList();
            var comments = allComments
                .Where(c => string.IsNullOrEmpty((string?)c.Element(Wp + "comment_type"))
                    || (string?)c.Element(Wp + "comment_type") == "comment")
                .Where(c => (string?)c.Element(Wp + "comment_approved") == "1")
                .Select(c => new
                {
                    Id = (string)c.Element(Wp + "comment_id")!,
                    Parent = (string?)c.Element(Wp + "comment_parent"),
                    UserId = (string?)c.Element(Wp + "comment_user_id"),
                    Reply = new Reply
                    {
                        AuthorName = (string?)c.Element(Wp + "comment_author") ?? "Anonymous",
                        Body = (string?)c.Element(Wp + "comment_content") ?? "",
                        BodyFormat = BodyFormat.Html,
                        CreatedAt = ParseGmt((string?)c.Element(Wp + "comment_date_gmt")),
                        State = ReplyState.Visible,
                    },
                })
                .ToList();
            if (allComments.Count > comments.Count)
            {
                skipped.Add($"\"{title}\": {allComments.Count - comments.Count} pingbacks or unapproved comments");
            }

            // Checked under the write lock, so two nodes starting together on one database import a post once.
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            if (await db.Threads.AnyAsync(t => t.SourceKey == sourceKey, ct))
            {
                skipped.Add($"\"{title}\": already imported");
                continue;
            }

            db.Threads.Add(thread);
            foreach (var comment in comments)
            {
                if (comment.UserId is { } userId && userId != "0")
                {
                    comment.Reply.AuthorExternalKey = UserKey(site, userId);
                    comment.Reply.AuthorName = namesById.GetValueOrDefault(userId) ?? comment.Reply.AuthorName;
                }

                comment.Reply.Thread = thread;
                thread.LastActivityAt = comment.Reply.CreatedAt > thread.LastActivityAt
                    ? comment.Reply.CreatedAt
                    : thread.LastActivityAt;
            }

            // Parents first, so every reply can point at a stored parent.
            var byId = comments.ToDictionary(c => c.Id);
            var saved = new Dictionary<string, Reply>();
            foreach (var comment in comments.OrderBy(c => c.Reply.CreatedAt))
            {
                await SaveWithAncestorsAsync(comment.Id);
            }

            async Task SaveWithAncestorsAsync(string id)
            {
                if (saved.ContainsKey(id))
                {
                    return;
                }

                var comment = byId[id];
                saved[id] = comment.Reply;
                if (comment.Parent is { } parent && byId.ContainsKey(parent))
                {
                    await SaveWithAncestorsAsync(parent);
                    // An ancestor still unsaved here means the parents form a cycle; the reply goes to the top level.
                    comment.Reply.ParentReplyId = saved[parent].Id is > 0 and var parentId ? parentId : null;
                }

                db.Replies.Add(comment.Reply);
                await db.SaveChangesAsync(ct);
            }

            await transaction.CommitAsync(ct);
            threads++;
            replies += comments.Count;
        }

        return new ImportReport(threads, replies, skipped);
    }

    private static string UserKey(string site, string wordPressUserId) => $"wp:{site}:user:{wordPressUserId}";

    private static DateTimeOffset ParseGmt(string? value) =>
        DateTimeOffset.TryParseExact(value, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal, out var parsed)
            ? parsed
            : DateTimeOffset.UnixEpoch;
}
