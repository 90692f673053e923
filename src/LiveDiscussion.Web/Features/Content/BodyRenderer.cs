using System.Text.RegularExpressions;
using AngleSharp.Dom;
using Ganss.Xss;
using Markdig;

namespace LiveDiscussion.Web.Features.Content;

/// <summary>
/// Turns stored bodies into HTML that is safe to put in a page. Everything shown goes through the sanitizer here, at
/// render time, so a change to the rules protects old content too.
/// </summary>
public sealed partial class BodyRenderer
{
    private const string LinkRel = "nofollow ugc noopener";

    private static readonly MarkdownPipeline Markdown = new MarkdownPipelineBuilder()
        .UseEmphasisExtras()
        .UseAutoLinks()
        .UsePipeTables()
        .UseSoftlineBreakAsHardlineBreak()
        .DisableHtml()
        .Build();

    private readonly HtmlSanitizer _sanitizer = CreateSanitizer();

    public string ToHtml(string body, BodyFormat format) => format switch
    {
        BodyFormat.Markdown => _sanitizer.Sanitize(Markdig.Markdown.ToHtml(body, Markdown)),
        BodyFormat.Html => _sanitizer.Sanitize(AddParagraphs(body)),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    private static HtmlSanitizer CreateSanitizer()
    {
        var sanitizer = new HtmlSanitizer();
        sanitizer.AllowedSchemes.Clear();
        sanitizer.AllowedSchemes.UnionWith(["http", "https", "mailto"]);
        sanitizer.AllowedTags.ExceptWith(["form", "input", "button", "select", "option", "textarea", "style", "iframe"]);
        sanitizer.AllowedAttributes.ExceptWith(["style", "class", "id"]);
        sanitizer.AllowedCssProperties.Clear();
        sanitizer.PostProcessNode += (_, e) =>
        {
            if (e.Node is IElement { TagName: "A" } link && link.HasAttribute("href"))
            {
                link.SetAttribute("rel", LinkRel);
            }
            else if (e.Node is IElement { TagName: "IMG" } image)
            {
                // An image from another site still learns the reader's address, but not which page they were on.
                image.SetAttribute("referrerpolicy", "no-referrer");
                image.SetAttribute("loading", "lazy");
            }
        };
        return sanitizer;
    }

    /// <summary>
    /// Imported blog text is shown the way the blog showed it: blank lines separate paragraphs and a single newline is
    /// a line break, unless the text already carries its own block markup.
    /// </summary>
    private static string AddParagraphs(string html)
    {
        var text = html.Replace("\r\n", "\n").Trim();
        if (text.Length == 0)
        {
            return "";
        }

        var paragraphs = ParagraphBreak().Split(text).Select(part => part.Trim()).Where(part => part.Length > 0);
        return string.Concat(paragraphs.Select(part => StartsWithBlock().IsMatch(part)
            ? part
            : $"<p>{SingleNewline().Replace(part, "<br />\n")}</p>\n"));
    }

    [GeneratedRegex(@"\n\s*\n")]
    private static partial Regex ParagraphBreak();

    private const string BlockTag = "(?:p|div|ul|ol|li|blockquote|h[1-6]|pre|table|thead|tbody|tr|td|th|figure|hr|br)";

    [GeneratedRegex($@"(?<!</?{BlockTag}\b[^>]*>)\n(?!</?{BlockTag}\b)", RegexOptions.IgnoreCase)]
    private static partial Regex SingleNewline();

    [GeneratedRegex($@"^<{BlockTag}\b", RegexOptions.IgnoreCase)]
    private static partial Regex StartsWithBlock();
}
