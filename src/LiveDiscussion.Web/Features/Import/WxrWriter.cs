using System.Globalization;
using System.Text;
using System.Xml;
using LiveDiscussion.Contracts;
using LiveDiscussion.Web.Features.Threads;
using Microsoft.AspNetCore.WebUtilities;

namespace LiveDiscussion.Web.Features.Import;

/// <summary>
/// Writes a thread as a WordPress export (WXR 1.2) that WordPress's importer takes: the post as an item with its
/// replies as comments, so nobody is locked in. It writes the thread as one viewer sees it (<see cref="ThreadDetailDto"/>
/// is built per viewer), so an export shows nothing its reader could not already read.
/// </summary>
/// <remarks>
/// Replies a reader sees are approved comments. Held replies, and hidden ones whose text the viewer may see (their
/// author, moderators), are unapproved comments: kept, not published. Rejected replies are left out. A deleted reply,
/// or a hidden one the viewer cannot read, is written as a placeholder ("[deleted]", "Hidden by a moderator: ...") only
/// when answers hang under it, so they keep their place in the tree; otherwise it is left out.
/// </remarks>
public static class WxrWriter
{
    private const string Wp = "http://wordpress.org/export/1.2/";
    private const string Content = "http://purl.org/rss/1.0/modules/content/";
    private const string Dc = "http://purl.org/dc/elements/1.1/";

    /// <summary>"Linked from" entries become pingback comments; their ids are set apart from reply ids.</summary>
    private const long LinkIdOffset = 1_000_000_000_000;

    private const string ThreadAuthorId = "1";

    public static async Task WriteAsync(ThreadDetailDto thread, Uri site, DateTimeOffset exportedAt, Stream output, CancellationToken ct = default)
    {
        // XmlWriter writes synchronously, which a response body refuses; this buffer spills to disk past 32 KB.
        await using var buffer = new FileBufferingWriteStream();
        using (var xml = XmlWriter.Create(buffer, new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false) }))
        {
            Write(xml, thread, site, exportedAt, ct);
        }

        await buffer.DrainBufferAsync(output, ct);
    }

    private static void Write(XmlWriter xml, ThreadDetailDto thread, Uri site, DateTimeOffset exportedAt, CancellationToken ct)
    {
        var siteUrl = site.AbsoluteUri.TrimEnd('/');
        var login = Clean(thread.Author.Name);

        xml.WriteStartDocument();
        xml.WriteComment(" A WordPress eXtended RSS (WXR 1.2) export of one LiveDiscussion thread. Import it with Tools → Import → WordPress. ");
        xml.WriteStartElement("rss");
        xml.WriteAttributeString("version", "2.0");
        xml.WriteAttributeString("xmlns", "excerpt", null, "http://wordpress.org/export/1.2/excerpt/");
        xml.WriteAttributeString("xmlns", "content", null, Content);
        xml.WriteAttributeString("xmlns", "wfw", null, "http://wellformedweb.org/CommentAPI/");
        xml.WriteAttributeString("xmlns", "dc", null, Dc);
        xml.WriteAttributeString("xmlns", "wp", null, Wp);
        xml.WriteStartElement("channel");
        xml.WriteElementString("title", Clean(thread.Title));
        xml.WriteElementString("link", siteUrl);
        xml.WriteElementString("description", "LiveDiscussion");
        xml.WriteElementString("pubDate", exportedAt.ToString("r", CultureInfo.InvariantCulture));
        xml.WriteElementString("language", "en");
        xml.WriteElementString("wxr_version", Wp, "1.2");
        xml.WriteElementString("base_site_url", Wp, siteUrl);
        xml.WriteElementString("base_blog_url", Wp, siteUrl);

        xml.WriteStartElement("author", Wp);
        xml.WriteElementString("author_id", Wp, ThreadAuthorId);
        WriteCData(xml, "author_login", Wp, login);
        WriteCData(xml, "author_email", Wp, "");
        WriteCData(xml, "author_display_name", Wp, login);
        xml.WriteEndElement();
        xml.WriteElementString("generator", "LiveDiscussion");

        var link = $"{siteUrl}/t/{thread.Id}/{thread.Slug}";
        xml.WriteStartElement("item");
        xml.WriteElementString("title", Clean(thread.Title));
        xml.WriteElementString("link", link);
        xml.WriteElementString("pubDate", thread.CreatedAt.ToString("r", CultureInfo.InvariantCulture));
        WriteCData(xml, "creator", Dc, login);
        xml.WriteStartElement("guid");
        xml.WriteAttributeString("isPermaLink", "false");
        xml.WriteString(link);
        xml.WriteEndElement();
        xml.WriteElementString("description", "");
        WriteCData(xml, "encoded", Content, thread.BodyHtml);
        WriteCData(xml, "encoded", "http://wordpress.org/export/1.2/excerpt/", "");
        xml.WriteElementString("post_id", Wp, thread.Id.ToString(CultureInfo.InvariantCulture));
        WriteCData(xml, "post_date", Wp, Date(thread.CreatedAt));
        WriteCData(xml, "post_date_gmt", Wp, Date(thread.CreatedAt));
        WriteCData(xml, "comment_status", Wp, thread.State == ThreadState.Closed ? "closed" : "open");
        WriteCData(xml, "ping_status", Wp, "open");
        WriteCData(xml, "post_name", Wp, thread.Slug);
        WriteCData(xml, "status", Wp, "publish");
        xml.WriteElementString("post_parent", Wp, "0");
        xml.WriteElementString("menu_order", Wp, "0");
        WriteCData(xml, "post_type", Wp, "post");
        WriteCData(xml, "post_password", Wp, "");
        xml.WriteElementString("is_sticky", Wp, thread.IsPinned ? "1" : "0");
        foreach (var label in thread.Labels)
        {
            xml.WriteStartElement("category");
            xml.WriteAttributeString("domain", label.Kind == ThreadLabel.Tag ? "post_tag" : "category");
            xml.WriteAttributeString("nicename", Slug.From(label.Name));
            xml.WriteCData(Clean(label.Name));
            xml.WriteEndElement();
        }

        foreach (var (reply, approved, text) in Comments(thread.Replies))
        {
            ct.ThrowIfCancellationRequested();
            WriteComment(xml, reply.Id, reply.State == ReplyState.Deleted ? "" : reply.Author.Name, url: "", reply.CreatedAt, text,
                approved, type: "", reply.ParentReplyId ?? 0, reply.IsByThreadAuthor ? ThreadAuthorId : "0");
        }

        foreach (var linked in thread.LinkedFrom)
        {
            WriteComment(xml, LinkIdOffset + linked.Id, linked.Title, linked.Url, linked.At, linked.Excerpt, approved: true,
                linked.Kind, parent: 0, userId: "0");
        }

        xml.WriteEndElement();
        xml.WriteEndElement();
        xml.WriteEndElement();
    }

    /// <summary>Which replies become comments, approved or not, and with what text (see the remarks on the class).</summary>
    private static IEnumerable<(ReplyDto Reply, bool Approved, string Text)> Comments(IReadOnlyList<ReplyDto> replies)
    {
        // Tree order has every parent before its answers, but a placeholder is needed only if an answer is written;
        // deciding from the bottom up settles that in one pass.
        var chosen = new List<(ReplyDto, bool, string)>();
        var needed = new HashSet<long>();
        foreach (var reply in replies.Reverse())
        {
            (bool Approved, string Text)? comment = reply.State switch
            {
                ReplyState.Visible => (true, reply.BodyHtml),
                ReplyState.Pending => (false, reply.BodyHtml),
                ReplyState.Hidden when reply.BodyHtml.Length > 0 => (false, reply.BodyHtml),
                ReplyState.Hidden when needed.Contains(reply.Id) =>
                    (true, reply.HiddenReason is { Length: > 0 } reason ? $"Hidden by a moderator: {reason}" : "Hidden by a moderator"),
                ReplyState.Deleted when needed.Contains(reply.Id) => (true, "[deleted]"),
                _ => null,
            };
            if (comment is { } c)
            {
                chosen.Add((reply, c.Approved, c.Text));
                if (reply.ParentReplyId is { } parent)
                {
                    needed.Add(parent);
                }
            }
        }

        chosen.Reverse();
        return chosen;
    }

    private static void WriteComment(XmlWriter xml, long id, string author, string url, DateTimeOffset at, string text,
        bool approved, string type, long parent, string userId)
    {
        xml.WriteStartElement("comment", Wp);
        xml.WriteElementString("comment_id", Wp, id.ToString(CultureInfo.InvariantCulture));
        WriteCData(xml, "comment_author", Wp, author);
        WriteCData(xml, "comment_author_email", Wp, "");
        xml.WriteElementString("comment_author_url", Wp, Clean(url));
        WriteCData(xml, "comment_author_IP", Wp, "");
        WriteCData(xml, "comment_date", Wp, Date(at));
        WriteCData(xml, "comment_date_gmt", Wp, Date(at));
        WriteCData(xml, "comment_content", Wp, text);
        WriteCData(xml, "comment_approved", Wp, approved ? "1" : "0");
        WriteCData(xml, "comment_type", Wp, type);
        xml.WriteElementString("comment_parent", Wp, parent.ToString(CultureInfo.InvariantCulture));
        xml.WriteElementString("comment_user_id", Wp, userId);
        xml.WriteEndElement();
    }

    /// <summary>XmlWriter splits a "]]>" inside the text into two CDATA sections, as WordPress does.</summary>
    private static void WriteCData(XmlWriter xml, string name, string ns, string text)
    {
        xml.WriteStartElement(name, ns);
        xml.WriteCData(Clean(text));
        xml.WriteEndElement();
    }

    /// <summary>WordPress writes dates without a zone; both columns carry UTC here, which is what the GMT one means.</summary>
    private static string Date(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>Control characters are not allowed in XML at all; a pasted one must not make the export unreadable.</summary>
    private static string Clean(string text) =>
        text.All(IsAllowed) ? text : new string(text.Where(IsAllowed).ToArray());

    private static bool IsAllowed(char c) => XmlConvert.IsXmlChar(c) || char.IsSurrogate(c);
}
