using System.Diagnostics.Metrics;
using System.Net;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using Ganss.Xss;
using LiveDiscussion.Web.Infrastructure;
using Markdig;

namespace LiveDiscussion.Web.Features.Content;

/// <summary>
/// Turns bodies into HTML that is safe to put in a page. Everything shown goes through the sanitizer here, once per
/// body and rules version: a body is rendered when it is written and its HTML stored with it (<see cref="Render"/>),
/// and reads take the stored HTML (<see cref="HtmlOf"/>), rendering again only HTML from older rules, so a change to
/// the rules protects old content too. A stored body the renderer cannot take (stored before new bodies were checked,
/// or imported) is shown as escaped plain text (<see cref="PlainTextHtml"/>), so one such row never breaks a read.
/// </summary>
public sealed partial class BodyRenderer
{
    /// <summary>
    /// The version of the rules below. Raise it with any change to what <see cref="ToHtml"/> gives for some body (the
    /// Markdown pipeline, the sanitizer's settings, the paragraph rules, the shortcut): every HTML stored under a lower
    /// version is then rendered again when next read. It only goes up; undoing a rule is a new version too.
    /// </summary>
    public const int RulesVersion = 1;

    public const string MeterName = "LiveDiscussion";
    public const string RenderedCounterName = "livediscussion.bodies.rendered";

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
    // CPU a new reply costs (docs/benchmarks.md, "Why the node is built this way").
    private readonly BareMarkup _bareMarkup;
    private readonly Counter<long> _rendered;
    private readonly BodyHtmlWriteBack? _writeBack;
    private readonly ILogger<BodyRenderer>? _logger;

    /// <param name="meters">Where the render counter lives; a meter of its own when null (unit tests).</param>
    /// <param name="writeBack">Stores HTML rendered on read; without it (unit tests) such HTML is only served.</param>
    /// <param name="logger">Where a stored body that cannot be rendered is reported.</param>
    public BodyRenderer(IMeterFactory? meters = null, BodyHtmlWriteBack? writeBack = null, ILogger<BodyRenderer>? logger = null)
    {
        _sanitizer = CreateSanitizer();
        _bareMarkup = new BareMarkup(_sanitizer.AllowedTags);
        var meter = meters?.Create(MeterName) ?? new Meter(MeterName);
        _rendered = meter.CreateCounter<long>(RenderedCounterName, unit: "{body}",
            description: "Bodies rendered to safe HTML: each new or edited body once, a stored one only when its HTML is "
                + "missing or from older rules, and composer previews.");
        _writeBack = writeBack;
        _logger = logger;
    }

    public string ToHtml(string body, BodyFormat format)
    {
        _rendered.Add(1);
        var html = ToUnsanitizedHtml(body, format);
        return _bareMarkup.TryWrite(html, out var bare) ? bare : _sanitizer.Sanitize(html);
    }

    /// <summary>
    /// A new body's HTML, rendered before any write begins: a body the renderer cannot take (Markdig refuses one that
    /// nests too deeply) is refused with a 400 naming <paramref name="field"/>, and nothing is stored.
    /// </summary>
    public string ToHtmlOrRefuse(string body, BodyFormat format, string field) =>
        TryToHtml(body, format) ?? throw DiscussionProblem.Invalid(field, Unrenderable);

    public const string Unrenderable =
        "This text cannot be shown: it nests lists, quotes or emphasis too deeply. Flatten it and send it again.";

    /// <summary>The body's HTML, or null when it cannot be rendered (a composer's preview says so instead).</summary>
    public string? TryToHtml(string body, BodyFormat format)
    {
        try
        {
            return ToHtml(body, format);
        }
        catch (Exception exception) when (exception is not OperationCanceledException and not OutOfMemoryException)
        {
            return null;
        }
    }

    /// <summary>Renders a body being written onto its row, to be stored with it.</summary>
    public void Render(IRenderedBody row)
    {
        row.BodyHtml = ToHtml(row.Body, row.BodyFormat);
        row.BodyHtmlRules = RulesVersion;
    }

    /// <summary>
    /// The row's HTML as stored when it was rendered under these rules (or newer ones, from a node already running
    /// them); otherwise rendered now, put on the row and handed to <see cref="BodyHtmlWriteBack"/> to be stored.
    /// </summary>
    /// <remarks>
    /// Reads must not fail on one bad row: a body the renderer cannot take is logged as a warning and given its
    /// <see cref="PlainTextHtml"/>, stored like any rendering: the row is tried and logged once (on each node that reads
    /// it before the write-back lands), not on every read. An edit, or a new rules version, renders it again.
    /// </remarks>
    public string HtmlOf(IRenderedBody row)
    {
        if (row.BodyHtml is { } stored && row.BodyHtmlRules >= RulesVersion)
        {
            return stored;
        }

        if (_writeBack is not null && _writeBack.TryGetWaiting(row, out var waiting))
        {
            row.BodyHtml = waiting;
            row.BodyHtmlRules = RulesVersion;
            return waiting;
        }

        try
        {
            Render(row);
        }
        catch (Exception exception) when (exception is not OperationCanceledException and not OutOfMemoryException)
        {
            _logger?.LogWarning(exception,
                "The stored body of {Kind} {Id} ({Length} characters) cannot be rendered; it is shown as plain text. "
                + "A moderator may hide the reply or close the thread", row.GetType().Name, row.Id, row.Body.Length);
            row.BodyHtml = PlainTextHtml(row.Body);
            row.BodyHtmlRules = RulesVersion;
        }

        _writeBack?.Store(row);
        return row.BodyHtml!;
    }

    /// <summary>
    /// The body as text, every character escaped: blank lines separate paragraphs and a single newline is a line break.
    /// Safe without the sanitizer, which may be what could not take the body.
    /// </summary>
    public static string PlainTextHtml(string body)
    {
        var text = body.Replace("\r\n", "\n").Trim();
        return string.Concat(ParagraphBreak().Split(text)
            .Select(part => part.Trim())
            .Where(part => part.Length > 0)
            .Select(part => $"<p>{WebUtility.HtmlEncode(part).Replace("\n", "<br />\n")}</p>\n"));
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
