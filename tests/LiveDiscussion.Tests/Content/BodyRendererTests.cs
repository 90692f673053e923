using LiveDiscussion.Web.Features.Content;

namespace LiveDiscussion.Tests.Content;

public class BodyRendererTests
{
    private readonly BodyRenderer _renderer = new();

    public static TheoryData<string> Attacks => new()
    {
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<a href=\"javascript:alert(1)\">click</a>",
        "<iframe src=\"https://evil.example\"></iframe>",
        "<svg onload=alert(1)><circle /></svg>",
        "<div style=\"background:url(javascript:alert(1))\">x</div>",
        "<a href=\"jav&#x09;ascript:alert(1)\">tab</a>",
        "<body onload=alert(1)>",
        "<form action=\"https://evil.example\"><input name=p></form>",
        "<object data=\"javascript:alert(1)\"></object>",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
        "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">data</a>",
    };

    public static TheoryData<string> MarkdownTricks => new()
    {
        "[click me](javascript:alert(1))",
        "[click me](JaVaScRiPt:alert(1))",
        "[click me](javascript&#58;alert(1))",
        "![img](javascript:alert(1))",
        "<javascript:alert(1)>",
        "[x](data:text/html,<script>alert(1)</script>)",
        "[a](\"onmouseover=\"alert(1))",
    };

    [Theory]
    [MemberData(nameof(Attacks))]
    public void Imported_html_never_carries_script(string attack) =>
        AssertHarmless(_renderer.ToHtml(attack, BodyFormat.Html));

    [Theory]
    [MemberData(nameof(Attacks))]
    [MemberData(nameof(MarkdownTricks))]
    public void Markdown_never_carries_script(string attack) =>
        AssertHarmless(_renderer.ToHtml(attack, BodyFormat.Markdown));

    [Fact]
    public void Markdown_renders_formatting_and_keeps_line_breaks()
    {
        var html = _renderer.ToHtml("**bold** and _italic_\nnext line\n\n> quoted", BodyFormat.Markdown);

        Assert.Contains("<strong>bold</strong>", html);
        Assert.Contains("<em>italic</em>", html);
        Assert.Contains("<br", html);
        Assert.Contains("<blockquote>", html);
    }

    [Theory]
    [InlineData("[site](https://example.com)", BodyFormat.Markdown)]
    [InlineData("see https://example.com now", BodyFormat.Markdown)]
    [InlineData("<a href=\"https://example.com\" rel=\"author\">site</a>", BodyFormat.Html)]
    public void Links_are_marked_nofollow_ugc_noopener(string body, BodyFormat format)
    {
        var html = _renderer.ToHtml(body, format);

        Assert.Contains("href=\"https://example.com\"", html);
        Assert.Contains("rel=\"nofollow ugc noopener\"", html);
    }

    [Fact]
    public void Raw_html_in_markdown_is_shown_as_text_not_markup()
    {
        var html = _renderer.ToHtml("I like <b>bold</b> tags", BodyFormat.Markdown);

        Assert.DoesNotContain("<b>", html);
        Assert.Contains("&lt;b&gt;", html);
    }

    [Fact]
    public void Imported_text_becomes_paragraphs_and_line_breaks_as_the_blog_showed_it()
    {
        var html = _renderer.ToHtml("Hi Julia,\n\nFirst line\nsecond line\n\n<blockquote>Quoted</blockquote>", BodyFormat.Html);

        Assert.Equal("<p>Hi Julia,</p>\n<p>First line<br>\nsecond line</p>\n<blockquote>Quoted</blockquote>", html);
    }

    public static TheoryData<string, BodyFormat> EverydayBodies => new()
    {
        { "Load test 1a2b3c4d reply #17", BodyFormat.Markdown },
        { "Hello *there*", BodyFormat.Markdown },
        { "I agree with \"most\" of it & more.\nSecond line", BodyFormat.Markdown },
        { "> quoted\n\n- one\n- two\n\n1. first\n\n`code` and **bold**", BodyFormat.Markdown },
        { "Hi Julia,\n\nFirst line\nsecond line", BodyFormat.Html },
    };

    [Theory]
    [MemberData(nameof(EverydayBodies))]
    public void Everyday_bodies_skip_the_sanitizer_and_come_out_as_it_would_write_them(string body, BodyFormat format)
    {
        Assert.True(_renderer.Shortcut.TryWrite(BodyRenderer.ToUnsanitizedHtml(body, format), out _));
        Assert.Equal(_renderer.ToHtmlThroughSanitizer(body, format), _renderer.ToHtml(body, format));
    }

    [Theory]
    [InlineData("<p>a</p><script>x</script>")]
    [InlineData("<p title=\"x\">a</p>")]
    [InlineData("<p>a<p>b</p>")]
    [InlineData("<p><ul><li>a</li></ul></p>")]
    [InlineData("<em>a<p>b</p></em>")]
    [InlineData("<li>outside a list</li>")]
    [InlineData("<pre>\ncode</pre>")]
    [InlineData("<p>&copy; &#106;</p>")]
    [InlineData("<p>a\u00A0b</p>")]
    [InlineData("<p>a\rb</p>")]
    [InlineData("<p>a</p")]
    [InlineData("<P>a</P>")]
    [InlineData("<br></br>")]
    [InlineData("<p>left open")]
    public void Markup_the_parser_or_the_sanitizer_would_change_is_left_to_the_sanitizer(string html) =>
        Assert.False(_renderer.Shortcut.TryWrite(html, out _));

    /// <summary>
    /// Random bodies built from the pieces that matter to Markdown and to HTML: whatever the shortcut takes must come
    /// out exactly as the sanitizer writes it.
    /// </summary>
    [Theory]
    [InlineData(BodyFormat.Markdown)]
    [InlineData(BodyFormat.Html)]
    public void The_shortcut_never_differs_from_the_sanitizer(BodyFormat format)
    {
        string[] markdownPieces =
        [
            "word", "Ünïcode", "😀", " ", "\n", "\n\n", "*", "**", "_", "~", "~~", "^", "==", "++", "`", "```\n", "#", "# ",
            "> ", "- ", "1. ", "3) ", "    ", "\t", "\r\n", "\u00A0", "<", ">", "&", "&amp;", "&copy;", "\"", "'", "[", "]",
            "(", ")", "![", "](", "http://example.com", "www.example.com", "javascript:x", "\\", "|", "---", "<b>", "<p>",
        ];
        var random = new Random(20261127);
        var shortcutTaken = 0;
        const int cases = 3000;
        for (var n = 0; n < cases; n++)
        {
            var body = format == BodyFormat.Markdown
                ? string.Concat(Enumerable.Range(0, random.Next(1, 16)).Select(_ => markdownPieces[random.Next(markdownPieces.Length)]))
                : RandomHtml(random, depth: 3);
            if (_renderer.Shortcut.TryWrite(BodyRenderer.ToUnsanitizedHtml(body, format), out _))
            {
                shortcutTaken++;
            }

            Assert.True(
                _renderer.ToHtmlThroughSanitizer(body, format) == _renderer.ToHtml(body, format),
                $"the shortcut differs from the sanitizer for {System.Text.Json.JsonSerializer.Serialize(body)}");
        }

        // Else the comparison above says nothing about the shortcut.
        Assert.InRange(shortcutTaken, cases / 10, cases);
    }

    private static readonly string[] HtmlElements =
        ["p", "em", "strong", "code", "pre", "ul", "ol", "li", "blockquote", "h2", "b", "div", "a href=\"https://x.y\""];

    private static readonly string[] HtmlTexts =
        ["text", " ", "\n", "\n\n", "<br />", "<br>", "<hr />", "&amp;", "&quot;", "&copy;", "\"", "<", ">", "&", "</p>", "<li>", "<em>"];

    /// <summary>Random nested elements, mostly well formed, some of them nested as no parser leaves them.</summary>
    private static string RandomHtml(Random random, int depth)
    {
        var parts = Enumerable.Range(0, random.Next(1, 4)).Select(_ =>
        {
            if (depth == 0 || random.Next(3) == 0)
            {
                return HtmlTexts[random.Next(HtmlTexts.Length)];
            }

            var element = HtmlElements[random.Next(HtmlElements.Length)];
            return $"<{element}>{RandomHtml(random, depth - 1)}</{element.Split(' ')[0]}>";
        });
        return string.Concat(parts);
    }

    /// <summary>Parses the output as a browser would and looks for anything that could run.</summary>
    private static void AssertHarmless(string html)
    {
        var document = new AngleSharp.Html.Parser.HtmlParser().ParseDocument($"<body>{html}</body>");
        var dangerousTags = new[] { "SCRIPT", "IFRAME", "SVG", "FORM", "OBJECT", "EMBED", "STYLE", "MATH", "BASE", "META", "LINK" };
        foreach (var element in document.Body!.QuerySelectorAll("*"))
        {
            Assert.DoesNotContain(element.TagName, dangerousTags);
            foreach (var attribute in element.Attributes)
            {
                Assert.False(attribute.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase), $"event handler in {html}");
                Assert.NotEqual("style", attribute.Name);
                if (attribute.Name is "href" or "src" or "action" or "data" or "formaction")
                {
                    var url = new string(attribute.Value.Where(c => !char.IsWhiteSpace(c) && !char.IsControl(c)).ToArray());
                    Assert.Matches("^(https?:|mailto:|/|#|[^:]*$)", url.ToLowerInvariant());
                }
            }
        }
    }
}
