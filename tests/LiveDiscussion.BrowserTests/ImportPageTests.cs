using System.Text;
using LiveDiscussion.BrowserTests.Infrastructure;
using LiveDiscussion.TestSupport;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveDiscussion.BrowserTests;

public sealed class ImportPageTests(BrowserFixture browser, EmptyApp app) : BrowserTest(browser, app), IClassFixture<EmptyApp>
{
    private static readonly string Demo = Path.Combine(AppContext.BaseDirectory, "Fixtures", "wordpress-new-media-activism.wxr");

    [Fact]
    public async Task An_admin_uploads_a_wordpress_export_watches_the_progress_bar_advance_and_reads_the_report()
    {
        var page = await Context.NewPageAsync();
        await page.SignInAsync(TestApp.AdminEmail, TestApp.AdminPassword);
        await page.WaitForInteractiveAsync();
        await page.GetByTestId("import-link").ClickAsync();
        await page.WaitForURLAsync("**/admin/import");
        await page.WaitForInteractiveAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Import from WordPress");
        await RecordProgressAsync(page);

        await page.GetByLabel("WordPress export file (.xml)").SetInputFilesAsync(Demo);

        var report = page.GetByTestId("import-report");
        await Expect(report).ToContainTextAsync("Report for wordpress-new-media-activism.wxr", new() { Timeout = 15_000 });
        await Expect(page.GetByTestId("threads-imported")).ToHaveTextAsync("1");
        await Expect(page.GetByTestId("replies-imported")).ToHaveTextAsync("8");
        await Expect(page.GetByTestId("linked-from-imported")).ToHaveTextAsync("1");
        await Expect(page.GetByTestId("import-stage")).ToHaveTextAsync("Done");
        await Expect(page.GetByTestId("import-progress-bar")).ToHaveAttributeAsync("data-value", "100");

        // A bigger file, with a draft among the posts, so the bar has a way to go and the report something skipped.
        var (file, posts) = GeneratedExport();
        await page.EvaluateAsync("() => window.progressSeen = []");
        await page.GetByLabel("WordPress export file (.xml)").SetInputFilesAsync(file);

        await Expect(report).ToContainTextAsync("Report for generated.xml", new() { Timeout = 60_000 });
        await Expect(page.GetByTestId("threads-imported")).ToHaveTextAsync(posts.ToString());
        await Expect(page.GetByTestId("import-skipped")).ToContainTextAsync("1 × post (draft)");
        // The first import's full bar may still be showing when the page changes for the new file; from its reset to
        // 0, the bar of this import must only move forward, and end full.
        var seen = (await page.EvaluateAsync<int[]>("() => window.progressSeen")).SkipWhile(value => value != 0).ToArray();
        Assert.NotEmpty(seen);
        Assert.Contains(seen, value => value is > 0 and < 100);
        Assert.Equal(100, seen[^1]);
        Assert.Equal(seen.Order(), seen);
        await page.ScreenshotAsync(new() { Path = PageExtensions.ScreenshotPath("import-page.png"), FullPage = true });
        File.Delete(file);
    }

    [Fact]
    public async Task A_file_that_is_not_an_export_gets_the_reason_on_the_page_and_imports_nothing()
    {
        using var reader = App.Anonymous();
        var threadsBefore = await reader.ThreadIdsAsync();
        var page = await Context.NewPageAsync();
        await page.SignInAsync(TestApp.AdminEmail, TestApp.AdminPassword);
        await page.GotoInteractiveAsync("/admin/import");

        await page.GetByLabel("WordPress export file (.xml)").SetInputFilesAsync(new FilePayload
        {
            Name = "notes.xml", MimeType = "text/xml", Buffer = Encoding.UTF8.GetBytes("<notes><note>Not a blog</note></notes>"),
        });

        await Expect(page.GetByTestId("import-error")).ToContainTextAsync("Not a WordPress export: the file's root is <notes>, not <rss>.",
            new() { Timeout = 15_000 });
        await Expect(page.GetByTestId("import-report")).ToHaveCountAsync(0);
        Assert.Equal(threadsBefore, await reader.ThreadIdsAsync());
    }

    [Fact]
    public async Task Members_do_not_get_the_import_page()
    {
        var page = await Context.NewPageAsync();
        await page.RegisterAsync(App.BaseAddress, "Nosy");

        var response = await page.APIRequest.GetAsync("/admin/import");

        Assert.Equal(403, response.Status);
        Assert.DoesNotContain("wxr-file", await response.TextAsync());
        await Expect(page.GetByTestId("import-link")).ToHaveCountAsync(0);
    }

    /// <summary>Keeps every value the bar shows, however briefly, so the test can tell that it advanced.</summary>
    private static Task RecordProgressAsync(IPage page) => page.EvaluateAsync("""
        () => {
            window.progressSeen = [];
            const note = () => {
                const bar = document.querySelector('[data-testid=import-progress-bar]');
                const value = bar && Number(bar.getAttribute('data-value'));
                if (bar && window.progressSeen[window.progressSeen.length - 1] !== value) window.progressSeen.push(value);
            };
            new MutationObserver(note).observe(document.body, { subtree: true, childList: true, attributes: true });
        }
        """);

    private static (string Path, int Posts) GeneratedExport()
    {
        var path = Path.Combine(Path.GetTempPath(), $"{Guid.NewGuid():N}", "generated.xml");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var wxr = new StringBuilder("""<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><wp:base_site_url>https://generated.example</wp:base_site_url>""");
        var posts = 0;
        while (wxr.Length < 3 * 1024 * 1024)
        {
            posts++;
            wxr.Append($"<item><title>Post {posts}</title><wp:post_id>{posts}</wp:post_id><wp:post_date_gmt>2020-01-01 00:00:00</wp:post_date_gmt><wp:status>publish</wp:status><wp:post_type>post</wp:post_type>");
            for (var c = 1; c <= 20; c++)
            {
                wxr.Append($"<wp:comment><wp:comment_id>{posts * 100 + c}</wp:comment_id><wp:comment_author>Guest</wp:comment_author><wp:comment_content>{new string('w', 500)}</wp:comment_content><wp:comment_approved>1</wp:comment_approved></wp:comment>");
            }

            wxr.Append("</item>");
        }

        wxr.Append("<item><title>Draft</title><wp:post_id>0</wp:post_id><wp:status>draft</wp:status><wp:post_type>post</wp:post_type></item></channel></rss>");
        File.WriteAllText(path, wxr.ToString());
        return (path, posts);
    }
}
