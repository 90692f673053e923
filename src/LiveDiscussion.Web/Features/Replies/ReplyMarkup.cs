using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;
using LiveDiscussion.Contracts;
using LiveDiscussion.Web.Components.Shared;
using Microsoft.AspNetCore.Components;

namespace LiveDiscussion.Web.Features.Replies;

/// <summary>
/// What a reply shows the same way to every reader: its element ids and its byline (author, badge, permalink, time,
/// edited). Built once per reply record and shared by every circuit of the node that shows that record, so a reply on
/// two thousand pages costs one string, not two thousand sets of render-tree frames. A live reply reaches every
/// circuit as the same record, so its markup is built once for all of them.
/// </summary>
public sealed class ReplyMarkup
{
    private static readonly ConditionalWeakTable<ReplyDto, ReplyMarkup> Built = new();

    // Blazor renders an attribute's value as given: a shared string costs nothing per circuit, a number is boxed anew.
    private static readonly string[] DepthTexts = Enumerable.Range(0, 16).Select(depth => depth.ToString()).ToArray();

    private readonly string _threadHref;

    private ReplyMarkup(ReplyDto reply, string threadHref, DateTimeOffset now)
    {
        _threadHref = threadHref;
        ElementId = $"reply-{reply.Id}";
        AuthorElementId = $"reply-{reply.Id}-author";
        IdText = reply.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Byline = new MarkupString(BuildByline(reply, threadHref, AuthorElementId, now));
    }

    /// <summary><c>reply-{id}</c>: the article's id, which links and the page's scripts find a reply by.</summary>
    public string ElementId { get; }

    public string AuthorElementId { get; }

    public string IdText { get; }

    public MarkupString Byline { get; }

    /// <summary>
    /// The markup of this record. The byline's time is as old as the markup: a reply that arrived live reads "just now"
    /// until the page is loaded again; the exact time is in its title.
    /// </summary>
    public static ReplyMarkup For(ReplyDto reply, string threadHref, DateTimeOffset now)
    {
        if (Built.TryGetValue(reply, out var built) && built._threadHref == threadHref)
        {
            return built;
        }

        built = new ReplyMarkup(reply, threadHref, now);
        Built.AddOrUpdate(reply, built);
        return built;
    }

    public static string DepthText(int depth) => depth < DepthTexts.Length ? DepthTexts[depth] : depth.ToString();

    /// <summary>The article's classes, from a fixed set: nothing is allocated per reader.</summary>
    public static string ArticleClass(bool nested, bool justArrived, bool focused) => (nested, justArrived, focused) switch
    {
        (false, false, false) => "reply",
        (true, false, false) => "reply nested",
        (false, true, false) => "reply just-arrived",
        (true, true, false) => "reply nested just-arrived",
        (false, false, true) => "reply focused",
        (true, false, true) => "reply nested focused",
        (false, true, true) => "reply just-arrived focused",
        (true, true, true) => "reply nested just-arrived focused",
    };

    private static string BuildByline(ReplyDto reply, string threadHref, string authorElementId, DateTimeOffset now)
    {
        var html = HtmlEncoder.Default;
        var byline = new StringBuilder(384);
        byline.Append("<header class=\"byline\"><span class=\"author\" id=\"").Append(authorElementId).Append("\">")
            .Append(html.Encode(reply.Author.Name)).Append("</span>");
        if (reply.IsByThreadAuthor)
        {
            byline.Append("<span class=\"badge author-badge\" data-testid=\"author-badge\">Author</span>");
        }

        byline.Append("<span aria-hidden=\"true\">·</span>")
            .Append("<a href=\"").Append(html.Encode($"{threadHref}/r/{reply.Id}")).Append("\" class=\"permalink\" data-testid=\"permalink\">")
            .Append(RelativeTime.Markup(reply.CreatedAt, now).Value).Append("</a>");
        if (reply.EditedAt is { } editedAt)
        {
            byline.Append("<span class=\"edited\" title=\"Edited ")
                .Append(editedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture))
                .Append("\">(edited)</span>");
        }

        return byline.Append("</header>").ToString();
    }
}
