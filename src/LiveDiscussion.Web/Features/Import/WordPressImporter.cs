using System.Globalization;
using System.Net;
using System.Security.Claims;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using LiveDiscussion.Contracts;
using LiveDiscussion.Web.Data;
using LiveDiscussion.Web.Features.Accounts;
using LiveDiscussion.Web.Features.Content;
using LiveDiscussion.Web.Features.Replies;
using LiveDiscussion.Web.Features.Threads;
using LiveDiscussion.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LiveDiscussion.Web.Features.Import;

/// <summary>
/// Imports a WordPress export (WXR 1.0–1.2): each published post becomes a thread with its comments as a reply tree.
/// The file is streamed, one post at a time, and each post is stored in its own transaction, so a post that fails
/// leaves nothing behind and the rest still come in. Keys made of the site and WordPress ids make a second import of
/// the same (or a newer) export add only what is new.
/// </summary>
public sealed partial class WordPressImporter(
    IDbContextFactory<DiscussionDbContext> dbFactory, ModeratedWrite write, BodyRenderer renderer, TimeProvider clock,
    ILogger<WordPressImporter> logger)
{
    public const string ClosedReason = "Comments are closed.";

    /// <summary>Bigger than any real post or comment; what is larger is more likely an attack than writing.</summary>
    public const int MaxBodyLength = 10 * 1024 * 1024;

    private const string ZeroDate = "0000-00-00 00:00:00";

    private static readonly XNamespace Content = "http://purl.org/rss/1.0/modules/content/";
    private static readonly XNamespace Dc = "http://purl.org/dc/elements/1.1/";

    /// <summary>
    /// An import asked for by a person (the API, the import page): admins only, checked in the database on this call,
    /// and a file that is not an export is a problem naming the file, with nothing stored.
    /// </summary>
    public async Task<ImportReport> ImportAsAdminAsync(ClaimsPrincipal user, Stream wxr, IProgress<ImportProgress>? progress,
        CancellationToken ct)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var actor = await Actor.RequireAsync(db, user, "Sign in to import.", clock, ct);
            if (!actor.IsAdmin)
            {
                throw DiscussionProblem.Forbidden("Only admins can import.");
            }
        }

        try
        {
            return await ImportAsync(wxr, ct, progress);
        }
        catch (InvalidDataException notAnExport)
        {
            throw DiscussionProblem.Invalid("file", notAnExport.Message);
        }
    }

    /// <summary>
    /// Imports the export; throws <see cref="InvalidDataException"/> when the file is not one, having stored nothing.
    /// <paramref name="progress"/> hears how far it has got, after each post and as the file is read.
    /// </summary>
    public async Task<ImportReport> ImportAsync(Stream wxr, CancellationToken ct = default, IProgress<ImportProgress>? progress = null)
    {
        // Three passes over the file: the first measures every text so that none too large is ever read whole, the
        // second refuses a broken or cut-short file before anything is stored, the third imports. A stream that cannot
        // be rewound (an upload) is spooled to a temporary file rather than held in memory.
        await using var spool = wxr.CanSeek ? null : await SpoolAsync(wxr, ct);
        var source = spool ?? wxr;
        var start = source.Position;
        var size = Math.Max(1, source.Length - start);
        var items = 0;
        var reported = -1.0;
        void Report(string stage, double from, double share, long bytes)
        {
            // Every half percent is smooth enough for a bar and keeps a 100 MB file from sending thousands of updates.
            var fraction = from + share * Math.Min(1, (double)bytes / size);
            if (progress is not null && fraction - reported >= 0.005)
            {
                reported = fraction;
                progress.Report(new ImportProgress(stage, fraction, items));
            }
        }
        try
        {
            var oversized = WxrSizeGuard.FindOversized(source, MaxBodyLength, bytes => Report(ImportProgress.Checking, 0, 0.1, bytes));
            using (var check = WxrSizeGuard.Open(source, start, oversized, bytes => Report(ImportProgress.Checking, 0.1, 0.15, bytes)))
            {
                WxrReader.CheckWellFormed(check);
            }

            await using var file = WxrSizeGuard.Open(source, start, oversized, bytes => Report(ImportProgress.Importing, 0.25, 0.75, bytes));
            using var reader = WxrReader.Open(file);
            var report = new ImportReportBuilder();
            foreach (var item in reader.Items())
            {
                ct.ThrowIfCancellationRequested();
                await ImportItemAsync(reader, item, report, ct);
                items++;
            }

            progress?.Report(new ImportProgress(ImportProgress.Done, 1, items));

            return report.Build();
        }
        catch (XmlException e)
        {
            throw WxrReader.Explain(e);
        }
    }

    private static async Task<FileStream> SpoolAsync(Stream wxr, CancellationToken ct)
    {
        var file = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920,
            FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        await wxr.CopyToAsync(file, ct);
        file.Position = 0;
        return file;
    }

    private async Task ImportItemAsync(WxrReader wxr, XElement item, ImportReportBuilder report, CancellationToken ct)
    {
        var wp = wxr.Wp;
        var title = ((string?)item.Element("title"))?.Trim() is { Length: > 0 } t ? t : "(untitled)";
        var type = (string?)item.Element(wp + "post_type") ?? "";
        var status = (string?)item.Element(wp + "status") ?? "";
        if (type != "post")
        {
            report.Skip(type.Length == 0 ? "item without a type" : type);
            return;
        }

        if (status != "publish")
        {
            report.Skip($"post ({status})");
            return;
        }

        var postId = ((string?)item.Element(wp + "post_id"))?.Trim();
        if (string.IsNullOrEmpty(postId))
        {
            report.Skip("post without an id");
            report.Line($"\"{title}\": skipped, it has no wp:post_id to recognise it by on a later import.");
            return;
        }

        var body = (string?)item.Element(Content + "encoded") ?? "";
        if (item.Elements().Where(e => e.Name != wp + "comment").Select(WxrSizeGuard.OversizedBytes).FirstOrDefault(b => b is not null) is { } bytes)
        {
            report.Skip("oversized post");
            report.Line($"\"{title}\": skipped with its comments, a text in it is {bytes:N0} bytes, over the {MaxBodyLength:N0} limit; it was not read into memory.");
            return;
        }

        if (body.Length > MaxBodyLength)
        {
            report.Skip("oversized post");
            report.Line($"\"{title}\": skipped, its text is {body.Length:N0} characters, over the {MaxBodyLength:N0} limit.");
            return;
        }

        var site = wxr.Site ?? "wordpress";
        var login = (string?)item.Element(Dc + "creator") ?? "";
        var author = wxr.AuthorsByLogin.GetValueOrDefault(login);
        var postedAt = ParseDate(item.Element(wp + "post_date_gmt"), item.Element(wp + "post_date"), fallback: null,
            $"\"{title}\"", report);
        var post = new DiscussionThread
        {
            Title = title.Length > Limits.TitleMaxLength ? title[..Limits.TitleMaxLength] : title,
            Slug = Slug.From((string?)item.Element(wp + "post_name") is { Length: > 0 } name ? Uri.UnescapeDataString(name) : title),
            Body = StripBlockComments(body),
            BodyFormat = BodyFormat.Html,
            AuthorName = author?.DisplayName ?? (login.Length > 0 ? login : "Anonymous"),
            AuthorExternalKey = author is { Id.Length: > 0 } ? UserKey(site, author.Id) : null,
            SourceKey = $"wp:{site}:post:{postId}",
            CreatedAt = postedAt,
            LastActivityAt = postedAt,
            State = (string?)item.Element(wp + "comment_status") == "closed" ? ThreadState.Closed : ThreadState.Open,
            IsPinned = (string?)item.Element(wp + "is_sticky") == "1",
        };
        post.CloseReason = post.State == ThreadState.Closed ? ClosedReason : null;
        post.Labels = ReadLabels(item);

        var comments = ReadComments(wxr, item, site, title, postedAt, post.Links, report);

        try
        {
            await StoreAsync(post, comments, title, report, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Importing WordPress post {SourceKey} failed", post.SourceKey);
            report.Skip("failed post");
            report.Line($"\"{title}\": not imported, storing it failed ({e.Message}); nothing of it was kept.");
        }
    }

    private sealed record Comment(string WpId, string? ParentWpId, Reply Reply);

    /// <summary>
    /// Categories and tags, each once. WXR 1.0 wrote tags with the domain <c>tag</c>, later versions <c>post_tag</c>;
    /// other taxonomies (post formats, menus) are WordPress's own machinery, not labels a reader would know.
    /// </summary>
    private static List<ThreadLabel> ReadLabels(XElement item)
    {
        var labels = new List<ThreadLabel>();
        foreach (var category in item.Elements("category"))
        {
            var kind = (string?)category.Attribute("domain") switch
            {
                null or "category" => ThreadLabel.Category,
                "post_tag" or "tag" => ThreadLabel.Tag,
                _ => null,
            };
            var name = category.Value.Trim();
            if (kind is not null && name.Length is > 0 and <= 200 && !labels.Any(l => l.Kind == kind && l.Name == name))
            {
                labels.Add(new ThreadLabel { Kind = kind, Name = name });
            }
        }

        return labels;
    }

    private List<Comment> ReadComments(WxrReader wxr, XElement item, string site, string title,
        DateTimeOffset postedAt, List<ThreadLink> links, ImportReportBuilder report)
    {
        var wp = wxr.Wp;
        var comments = new List<Comment>();
        foreach (var c in item.Elements(wp + "comment"))
        {
            var id = ((string?)c.Element(wp + "comment_id"))?.Trim() ?? "";
            var kind = (string?)c.Element(wp + "comment_type") ?? "";
            if (kind is "pingback" or "trackback")
            {
                if (ReadLink(wp, c, kind, id, site, title, postedAt, report) is { } link
                    && links.All(l => l.SourceKey != link.SourceKey))
                {
                    links.Add(link);
                }

                continue;
            }

            if (kind is not ("" or "comment"))
            {
                report.Skip($"{kind} comment");
                continue;
            }

            var approved = ((string?)c.Element(wp + "comment_approved"))?.Trim();
            ReplyState state;
            switch (approved)
            {
                case "1":
                    state = ReplyState.Visible;
                    break;
                case "0":
                    state = ReplyState.Pending;
                    break;
                case "spam":
                    report.Skip("spam comment");
                    continue;
                case "trash" or "post-trashed":
                    report.Skip("trashed comment");
                    continue;
                default:
                    report.Skip("comment with an unknown status");
                    report.Line($"\"{title}\": comment {id} skipped, its status \"{approved}\" is not one WordPress writes.");
                    continue;
            }

            if (id.Length == 0)
            {
                report.Skip("comment without an id");
                continue;
            }

            if (WxrSizeGuard.OversizedBytes(c) is { } bytes)
            {
                report.Skip("oversized comment");
                report.Line($"\"{title}\": comment {id} skipped, a text in it is {bytes:N0} bytes, over the {MaxBodyLength:N0} limit; it was not read into memory.");
                continue;
            }

            var text = (string?)c.Element(wp + "comment_content") ?? "";
            if (text.Length > MaxBodyLength)
            {
                report.Skip("oversized comment");
                report.Line($"\"{title}\": comment {id} skipped, its text is {text.Length:N0} characters, over the {MaxBodyLength:N0} limit.");
                continue;
            }

            var reply = new Reply
            {
                AuthorName = (string?)c.Element(wp + "comment_author") is { Length: > 0 } name ? name : "Anonymous",
                Body = StripBlockComments(text),
                BodyFormat = BodyFormat.Html,
                CreatedAt = ParseDate(c.Element(wp + "comment_date_gmt"), c.Element(wp + "comment_date"), postedAt,
                    $"\"{title}\": comment {id}", report),
                State = state,
                SourceKey = $"wp:{site}:comment:{id}",
                AuthorEmail = Bounded((string?)c.Element(wp + "comment_author_email"), 320),
                AuthorIp = Bounded((string?)c.Element(wp + "comment_author_IP"), 45),
            };
            // A comment by a blog user is that user: their display name, and the author's badge when they wrote the post.
            if (((string?)c.Element(wp + "comment_user_id"))?.Trim() is { Length: > 0 } userId && userId != "0")
            {
                reply.AuthorExternalKey = UserKey(site, userId);
                reply.AuthorName = wxr.AuthorsById.GetValueOrDefault(userId)?.DisplayName ?? reply.AuthorName;
            }

            var parent = ((string?)c.Element(wp + "comment_parent"))?.Trim();
            comments.Add(new Comment(id, parent is null or "" or "0" ? null : parent, reply));
        }

        return comments;
    }

    /// <summary>
    /// A pingback or trackback as a "linked from" entry. Only approved ones, and only with a web address to link to:
    /// anything else would put an unchecked link on the thread page.
    /// </summary>
    private ThreadLink? ReadLink(XNamespace wp, XElement c, string kind, string id, string site, string title,
        DateTimeOffset postedAt, ImportReportBuilder report)
    {
        var approved = ((string?)c.Element(wp + "comment_approved"))?.Trim();
        if (approved != "1")
        {
            report.Skip(approved is "spam" or "trash" or "post-trashed" ? $"{kind} ({approved})" : $"unapproved {kind}");
            return null;
        }

        var url = ((string?)c.Element(wp + "comment_author_url"))?.Trim() ?? "";
        if (id.Length == 0 || url.Length > ThreadLink.UrlMaxLength
            || !Uri.TryCreate(url, UriKind.Absolute, out var address) || address.Scheme is not ("http" or "https"))
        {
            report.Skip($"{kind} without a web address");
            report.Line($"\"{title}\": {kind} {id} skipped, \"{Bounded(url, 100)}\" is not an http(s) address to link to.");
            return null;
        }

        // WordPress stores the excerpt as "[...] words around the link [...]" in HTML; only its words are kept.
        var excerpt = WebUtility.HtmlDecode(Tags().Replace((string?)c.Element(wp + "comment_content") ?? "", " "));
        var name = WebUtility.HtmlDecode((string?)c.Element(wp + "comment_author") ?? "").Trim();
        return new ThreadLink
        {
            Kind = kind,
            Title = Bounded(name, ThreadLink.TitleMaxLength) is { Length: > 0 } shown ? shown : address.Host,
            Url = address.AbsoluteUri,
            Excerpt = Bounded(Whitespace().Replace(excerpt, " ").Trim(), ThreadLink.ExcerptMaxLength) ?? "",
            CreatedAt = ParseDate(c.Element(wp + "comment_date_gmt"), c.Element(wp + "comment_date"), postedAt,
                $"\"{title}\": {kind} {id}", report),
            SourceKey = $"wp:{site}:comment:{id}",
        };
    }

    private static string? Bounded(string? text, int max) =>
        text?.Trim() is { Length: > 0 } trimmed ? trimmed.Length > max ? trimmed[..max] : trimmed : null;

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Tags();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    /// <summary>What storing one post did, told to the report once its transaction committed.</summary>
    private sealed record Stored(bool Unchanged, bool IsNew, int Replies, int Held, int Links, List<string> Lines);

    private async Task StoreAsync(DiscussionThread post, List<Comment> comments, string title, ImportReportBuilder report,
        CancellationToken ct)
    {
        // A write per post keeps the change tracker small however many posts the file holds.
        var stored = await write.RunAsync(check: null, change => StoreOnceAsync(change, post, comments, title, ct), ct);
        foreach (var line in stored.Lines)
        {
            report.Line(line);
        }

        if (stored.Unchanged)
        {
            report.Skip("unchanged post");
            return;
        }

        if (stored.IsNew)
        {
            report.ThreadsImported++;
        }
        else
        {
            report.ThreadsUpdated++;
        }

        report.RepliesImported += stored.Replies;
        report.LinkedFrom += stored.Links;
        report.RepliesHeld += stored.Held;
    }

    /// <remarks>
    /// A new thread's history writes no events: nobody watches a thread before it exists, and its log starts empty with
    /// its seq at 0. Comments added to a thread that was already here are new replies to whoever watches it: each is a
    /// <c>reply-posted</c> event in this transaction, parents before their answers, published after the commit.
    /// </remarks>
    private async Task<Stored> StoreOnceAsync(ModeratedChange change, DiscussionThread post, List<Comment> comments, string title,
        CancellationToken ct)
    {
        ForgetEarlierAttempt(post, comments);
        var db = change.Db;
        var lines = new List<string>();
        // Two imports of one post at once (two nodes, or nodes seeding the demo together) take turns on its source key,
        // so the second finds what the first stored; the thread, once there, is locked before it gets any event.
        await change.LockKeyAsync(LockScope.Import, post.SourceKey!, ct);
        var existingId = await db.Threads.Where(t => t.SourceKey == post.SourceKey).Select(t => (long?)t.Id).FirstOrDefaultAsync(ct);
        var thread = existingId is { } id ? await change.LockThreadAsync(id, ct) : null;
        var stored = new Dictionary<string, long>(StringComparer.Ordinal);
        var isNew = thread is null;
        if (thread is null)
        {
            thread = post;
            renderer.Render(thread);
            db.Threads.Add(thread);
        }
        else
        {
            foreach (var existing in await db.Replies
                .Where(r => r.ThreadId == thread.Id && r.SourceKey != null)
                .Select(r => new { r.Id, r.SourceKey })
                .ToListAsync(ct))
            {
                // The key ends with the WordPress comment id (the site address before it may hold colons too).
                stored[existing.SourceKey![(existing.SourceKey!.LastIndexOf(':') + 1)..]] = existing.Id;
            }

            comments = comments.Where(c => !stored.ContainsKey(c.WpId)).ToList();
            var newLinks = await NewLinksAsync(db, thread.Id, post.Links, ct);
            var newLabels = await NewLabelsAsync(db, thread.Id, post.Labels, ct);
            if (comments.Count == 0 && newLinks.Count == 0 && newLabels.Count == 0)
            {
                return new Stored(Unchanged: true, IsNew: false, 0, 0, 0, lines);
            }

            thread.Links.AddRange(newLinks);
            thread.Labels.AddRange(newLabels);
            post.Links = newLinks;
        }

        var byId = new Dictionary<string, Comment>(StringComparer.Ordinal);
        foreach (var comment in comments)
        {
            if (!byId.TryAdd(comment.WpId, comment))
            {
                lines.Add($"\"{title}\": comment {comment.WpId} appears twice; the first copy was kept.");
            }
        }

        comments = byId.Values.ToList();
        var parents = ResolveParents(comments, byId, stored, title, lines);

        // Parents are stored before their answers, a generation at a time, so each answer can point at a stored id.
        var depth = Depths(comments, parents);
        foreach (var generation in comments.GroupBy(c => depth[c.WpId]).OrderBy(g => g.Key))
        {
            var added = generation.OrderBy(c => c.Reply.CreatedAt).ToList();
            foreach (var comment in added)
            {
                comment.Reply.Thread = thread;
                comment.Reply.ParentReplyId = parents[comment.WpId] is { } parent
                    ? stored.TryGetValue(parent, out var parentId) ? parentId : byId[parent].Reply.Id
                    : null;
                renderer.Render(comment.Reply);
                db.Replies.Add(comment.Reply);
            }

            await db.SaveChangesAsync(ct);
            foreach (var reply in added.Select(c => c.Reply))
            {
                if (reply.State == ReplyState.Pending)
                {
                    change.ModerationQueueChanged();
                }
                else if (!isNew)
                {
                    change.Append(thread, ThreadEventTypes.ReplyPosted, reply.ToDto(thread, renderer));
                }
            }
        }

        var latest = comments.Count == 0 ? thread.LastActivityAt : comments.Max(c => c.Reply.CreatedAt);
        if (latest > thread.LastActivityAt)
        {
            thread.LastActivityAt = latest;
        }

        change.ListChanged(thread);
        return new Stored(Unchanged: false, isNew, comments.Count, comments.Count(c => c.Reply.State == ReplyState.Pending),
            post.Links.Count, lines);
    }

    /// <summary>
    /// An attempt that SQLite turned away (busy) may have given the post's rows keys and links before it rolled back;
    /// the next attempt stores them afresh.
    /// </summary>
    private static void ForgetEarlierAttempt(DiscussionThread post, List<Comment> comments)
    {
        post.Id = 0;
        post.LatestSeq = 0;
        post.Replies.Clear();
        foreach (var label in post.Labels)
        {
            (label.Id, label.ThreadId) = (0, 0);
        }

        foreach (var link in post.Links)
        {
            (link.Id, link.ThreadId) = (0, 0);
        }

        foreach (var comment in comments)
        {
            (comment.Reply.Id, comment.Reply.ThreadId, comment.Reply.Thread, comment.Reply.ParentReplyId) = (0, 0, null, null);
        }
    }

    private static async Task<List<ThreadLink>> NewLinksAsync(DiscussionDbContext db, long threadId, List<ThreadLink> links,
        CancellationToken ct)
    {
        var stored = await db.Set<ThreadLink>().Where(l => l.ThreadId == threadId).Select(l => l.SourceKey).ToListAsync(ct);
        return links.Where(l => !stored.Contains(l.SourceKey)).DistinctBy(l => l.SourceKey).ToList();
    }

    private static async Task<List<ThreadLabel>> NewLabelsAsync(DiscussionDbContext db, long threadId, List<ThreadLabel> labels,
        CancellationToken ct)
    {
        var stored = await db.Set<ThreadLabel>().Where(l => l.ThreadId == threadId).Select(l => new { l.Kind, l.Name }).ToListAsync(ct);
        return labels.Where(l => !stored.Contains(new { l.Kind, l.Name })).ToList();
    }

    /// <summary>
    /// Each comment's parent by WordPress id, or null for the top level. A parent that is not in the file (or was
    /// left out, like spam) and a comment that is its own ancestor both put the comment at the top level, with a line
    /// in the report, so every comment arrives and the tree has no loops.
    /// </summary>
    private static Dictionary<string, string?> ResolveParents(List<Comment> comments, Dictionary<string, Comment> byId,
        Dictionary<string, long> stored, string title, List<string> lines)
    {
        var parents = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var comment in comments)
        {
            var parent = comment.ParentWpId;
            if (parent == comment.WpId)
            {
                lines.Add($"\"{title}\": comment {comment.WpId} names itself as its parent; it was put at the top level.");
                parent = null;
            }
            else if (parent is not null && !byId.ContainsKey(parent) && !stored.ContainsKey(parent))
            {
                lines.Add($"\"{title}\": comment {comment.WpId} answers comment {parent}, which is missing or was not imported; it was put at the top level.");
                parent = null;
            }

            parents[comment.WpId] = parent;
        }

        foreach (var comment in comments)
        {
            // Walk up; coming back to the start means a loop, which is cut here so its other members stay answers.
            var seen = new HashSet<string>(StringComparer.Ordinal) { comment.WpId };
            for (var current = parents[comment.WpId]; current is not null && byId.ContainsKey(current); current = parents[current])
            {
                if (current == comment.WpId)
                {
                    lines.Add($"\"{title}\": comment {comment.WpId} is part of a loop of parents; it was put at the top level.");
                    parents[comment.WpId] = null;
                    break;
                }

                if (!seen.Add(current))
                {
                    break;
                }
            }
        }

        return parents;
    }

    private static Dictionary<string, int> Depths(List<Comment> comments, Dictionary<string, string?> parents)
    {
        var depth = new Dictionary<string, int>(StringComparer.Ordinal);
        var path = new Stack<string>();
        foreach (var comment in comments)
        {
            // Iterative rather than recursive: a long chain of answers must not exhaust the stack.
            var current = comment.WpId;
            while (!depth.ContainsKey(current))
            {
                path.Push(current);
                if (parents[current] is { } parent && parents.ContainsKey(parent))
                {
                    current = parent;
                }
                else
                {
                    depth[path.Pop()] = 0;
                    break;
                }
            }

            var d = depth[current];
            while (path.Count > 0)
            {
                depth[path.Pop()] = ++d;
            }
        }

        return depth;
    }

    /// <summary>The block editor's markers carry layout for the editor, not text for readers.</summary>
    private static string StripBlockComments(string html) => BlockComment().Replace(html, "");

    [GeneratedRegex(@"<!--\s*/?wp:.*?-->\r?\n?", RegexOptions.Singleline)]
    private static partial Regex BlockComment();

    private static string UserKey(string site, string wordPressUserId) => $"wp:{site}:user:{wordPressUserId}";

    /// <summary>
    /// The GMT date when there is one. WordPress writes 0000-00-00 00:00:00 for dates it never set; then the local
    /// date is taken as if it were GMT, and failing that the fallback (the post's date), with a line in the report.
    /// </summary>
    private DateTimeOffset ParseDate(XElement? gmt, XElement? local, DateTimeOffset? fallback, string what,
        ImportReportBuilder report)
    {
        if (TryParse((string?)gmt, out var parsed))
        {
            return parsed;
        }

        if (TryParse((string?)local, out parsed))
        {
            report.Line($"{what}: no GMT date; its local date {(string?)local} was taken as GMT.");
            return parsed;
        }

        var used = fallback ?? clock.GetUtcNow();
        report.Line($"{what}: no valid date ({(string?)gmt ?? "none"}); {(fallback is null ? "the import time" : "the post's date")} was used.");
        return used;
    }

    private static bool TryParse(string? value, out DateTimeOffset parsed)
    {
        parsed = default;
        return value is not null && value.Trim() != ZeroDate
            && DateTimeOffset.TryParseExact(value.Trim(), "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal, out parsed);
    }
}
