using LiveDiscussion.BrowserTests.Infrastructure;
using LiveDiscussion.TestSupport;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveDiscussion.BrowserTests;

public sealed class DemoThreadPageTests(BrowserFixture browser, DemoApp app) : BrowserTest(browser, app), IClassFixture<DemoApp>
{
    [Fact]
    public async Task The_demo_thread_shows_its_post_its_replies_nested_four_deep_and_that_comments_are_closed()
    {
        var page = await Context.NewPageAsync();
        var watch = CircuitWatch.Attach(page);
        await page.SetViewportSizeAsync(1100, 900);
        await page.GotoInteractiveAsync("/");

        var row = page.GetByTestId("thread-row").Filter(new() { HasText = "Is new media activism an illusion of new solidarity?" });
        await Expect(row).ToContainTextAsync("8 replies");
        await Expect(row.GetByTestId("state-badge")).ToHaveTextAsync("Closed");
        await row.GetByRole(AriaRole.Link).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Is new media activism an illusion of new solidarity?");
        await Expect(page.GetByTestId("thread-post")).ToContainTextAsync("mediated mobilization");
        await Expect(page.GetByTestId("reply-count")).ToHaveTextAsync("8 replies");
        await Expect(page.GetByTestId("closed-notice")).ToContainTextAsync("Comments are closed.");
        await Expect(page.GetByTestId("composer")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("reply-button")).ToHaveCountAsync(0);

        var replies = page.GetByTestId("reply");
        await Expect(replies).ToHaveCountAsync(8);
        Assert.Equal(["0", "1", "0", "1", "2", "3", "0", "1"], await DepthsAsync(replies));
        Assert.Equal(["Goda", "Julia", "Louise", "Julia", "Louise", "Julia", "Carl", "Julia"],
            await replies.Locator("> header .author").AllInnerTextsAsync());
        await Expect(page.GetByTestId("author-badge")).ToHaveCountAsync(4);

        // Nesting is real containment, not just a number: Louise's last answer sits inside Julia's answer to her.
        var deepest = page.Locator("[data-depth='3']");
        await Expect(deepest.Locator("xpath=ancestor::article[@data-testid='reply']")).ToHaveCountAsync(3);
        await Expect(deepest).ToContainTextAsync("follow your blog as well");

        await Expect(page.Locator("time").First).ToHaveAttributeAsync("title", new System.Text.RegularExpressions.Regex("2017.*UTC"));

        await page.GetByTestId("closed-notice").EvaluateAsync("notice => notice.scrollIntoView({ block: 'start' })");
        await page.ScreenshotAsync(new() { Path = PageExtensions.ScreenshotPath("thread-page.png") });
        watch.AssertContentSecurityPolicyHeldWithoutViolations();
    }

    [Fact]
    public async Task On_a_phone_the_thread_fits_the_screen_and_a_signed_out_reader_is_invited_to_sign_in()
    {
        using var admin = await App.AdminAsync();
        var thread = await admin.StartThreadAsync("Open for phones", "Read me on a small screen.");
        var parent = await admin.ReplyAsync(thread.Id, "Level 0");
        for (var depth = 1; depth <= 7; depth++)
        {
            parent = await admin.ReplyAsync(thread.Id, $"Level {depth}", parent.Id);
        }

        var page = await Context.NewPageAsync();
        await page.SetViewportSizeAsync(375, 740);
        await page.GotoInteractiveAsync($"/t/{thread.Id}/{thread.Slug}");

        await Expect(page.GetByTestId("sign-in-to-reply")).ToContainTextAsync("Sign in to reply");
        await Expect(page.GetByTestId("composer")).ToHaveCountAsync(0);
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"),
            "the page scrolls sideways on a phone");

        // Six levels are shown; the rest continues on a page of its own, under the two replies it answers.
        await Expect(page.GetByTestId("reply")).ToHaveCountAsync(6);
        await page.GetByTestId("continue-thread").ClickAsync();
        await Expect(page.Locator("[data-testid=reply][aria-current=true] > [data-testid=reply-body]")).ToHaveTextAsync("Level 5");
        await Expect(page.GetByTestId("reply-body")).ToHaveTextAsync(["Level 3", "Level 4", "Level 5", "Level 6", "Level 7"]);
        await Expect(page.GetByTestId("earlier-context")).ToBeVisibleAsync();
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"),
            "the continued thread scrolls sideways on a phone");
    }

    private static async Task<string[]> DepthsAsync(ILocator replies)
    {
        var depths = new List<string>();
        foreach (var reply in await replies.AllAsync())
        {
            depths.Add((await reply.GetAttributeAsync("data-depth"))!);
        }

        return [.. depths];
    }
}
