using LiveDiscussion.Web.Features.Content;

namespace LiveDiscussion.Tests.Unit;

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
