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

    private readonly HtmlSanitizer _sanitizer;
    // Most replies are plain text or simple Markdown; this spares them the sanitizer's parse, the largest part of the
    // CPU a new reply costs (docs/benchmarks.md, ninth round).
    private readonly BareMarkup _bareMarkup;

    public BodyRenderer()
    {
        _sanitizer = CreateSanitizer();
        _bareMarkup = new BareMarkup(_sanitizer.AllowedTags);
    }

    public string ToHtml(string body, BodyFormat format)
    {
        var html = ToUnsanitizedHtml(body, format);
        return _bareMarkup.TryWrite(html, out var bare) ? bare : _sanitizer.Sanitize(html);
    }

    internal BareMarkup Shortcut => _bareMarkup;

    /// <summary>
    /// What <see cref="ToHtml"/> gives with every body through the sanitizer, the bare-markup shortcut left out: the
    /// result the shortcut must equal.
    /// </summary>
    internal string ToHtmlThroughSanitizer(string body, BodyFormat format) => _sanitizer.Sanitize(ToUnsanitizedHtml(body, format));

    internal static string ToUnsanitizedHtml(string body, BodyFormat format) => format switch
    {
        BodyFormat.Markdown => Markdig.Markdown.ToHtml(body, Markdown),
        BodyFormat.Html => AddParagraphs(body),
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
