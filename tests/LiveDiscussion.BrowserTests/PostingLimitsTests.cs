using LiveDiscussion.BrowserTests.Infrastructure;
using LiveDiscussion.Contracts;
using LiveDiscussion.TestSupport;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveDiscussion.BrowserTests;

/// <summary>
/// The app with the posting limits on: a new member may post one reply every six seconds, so a test sees a refusal and
/// its countdown end without waiting long. Accounts and connections from the one test address are not limited.
/// </summary>
public sealed class PostingLimitsApp() : TestApp(seedDemo: false, settings: new Dictionary<string, string?>
{
    ["RateLimits:Enabled"] = "true",
    ["RateLimits:NewMemberApprovedReplies"] = "1000",
    ["RateLimits:NewMemberReplies:PermitLimit"] = "1",
    ["RateLimits:NewMemberReplies:Window"] = "00:00:06",
    ["RateLimits:Registrations:PermitLimit"] = "10000",
    ["RateLimits:SignIns:PermitLimit"] = "10000",
    ["RateLimits:Connections:PermitLimit"] = "10000",
});

public sealed class PostingLimitsTests(BrowserFixture browser, PostingLimitsApp app)
    : BrowserTest(browser, app), IClassFixture<PostingLimitsApp>
{
    [Fact]
    public async Task After_a_429_the_composer_counts_down_keeps_the_draft_and_sends_once_the_wait_is_over()
    {
        using var admin = await App.AdminAsync();
        var thread = await admin.StartThreadAsync("Quick fingers", "Say something.");
        var page = await Context.NewPageAsync();
        await page.RegisterAsync(App.BaseAddress, "Quick");
        await page.GotoInteractiveAsync($"/t/{thread.Id}/{thread.Slug}");

        await page.GetByTestId("reply-to-post").ClickAsync();
        await page.GetByTestId("composer").GetByRole(AriaRole.Textbox).FillAsync("My first word");
        await page.GetByTestId("composer-send").ClickAsync();
        await Expect(page.GetByTestId("reply-body")).ToHaveTextAsync("My first word");

        await page.GetByTestId("reply-to-post").ClickAsync();
        var draft = page.GetByTestId("composer").GetByRole(AriaRole.Textbox);
        await draft.FillAsync("My second word, too soon");
        await page.GetByTestId("composer-send").ClickAsync();

        await Expect(page.GetByTestId("composer-error")).ToContainTextAsync("New members can post 1 reply every 6 seconds. Try again in");
        await Expect(page.GetByTestId("composer-send")).ToBeDisabledAsync();
        await Expect(page.GetByTestId("countdown")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^[1-6]$"));
        await Expect(draft).ToHaveValueAsync("My second word, too soon");

        await Expect(page.GetByTestId("composer-send")).ToBeEnabledAsync(new() { Timeout = 8000 });
        await Expect(page.GetByTestId("composer-error")).ToHaveCountAsync(0);
        await page.GetByTestId("composer-send").ClickAsync();
        await Expect(page.GetByTestId("reply-body")).ToHaveCountAsync(2);
        await Expect(page.GetByTestId("reply-body").Nth(1)).ToHaveTextAsync("My second word, too soon");
    }

    [Fact]
    public async Task Slow_mode_switched_on_by_a_moderator_reaches_a_writers_open_composer_at_once_and_counts_down_after_their_reply()
    {
        using var admin = await App.AdminAsync();
        var thread = await admin.StartThreadAsync("Heated", "Let's talk.");
        var writer = await (await NewContextAsync()).NewPageAsync();
        await writer.RegisterAsync(App.BaseAddress, "Writer");
        await writer.GotoInteractiveAsync($"/t/{thread.Id}/{thread.Slug}");
        await writer.GetByTestId("reply-to-post").ClickAsync();
        var draft = writer.GetByTestId("composer").GetByRole(AriaRole.Textbox);
        await draft.FillAsync("A measured answer");

        var moderator = await (await NewContextAsync()).NewPageAsync();
        await moderator.SignInAsync(TestApp.AdminEmail, TestApp.AdminPassword);
        await moderator.GotoInteractiveAsync($"/t/{thread.Id}/{thread.Slug}");
        await Expect(writer.GetByTestId("slow-mode-panel")).ToHaveCountAsync(0);
        await moderator.GetByTestId("slow-mode-30").ClickAsync();

        await Expect(writer.GetByTestId("slow-mode-notice"))
            .ToHaveTextAsync("Slow mode: one reply every 30 seconds.", new() { Timeout = 2000 });
        await Expect(draft).ToHaveValueAsync("A measured answer");
        await Expect(moderator.GetByTestId("slow-mode-state")).ToHaveTextAsync("Slow mode: one reply every 30 seconds");

        await writer.GetByTestId("composer-send").ClickAsync();
        await Expect(writer.GetByTestId("reply-body")).ToHaveTextAsync("A measured answer");
        await writer.GetByTestId("reply-to-post").ClickAsync();
        await Expect(writer.GetByTestId("composer-send")).ToBeDisabledAsync();
        await Expect(writer.GetByTestId("countdown")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^(2[0-9]|30)$"));

        await moderator.GetByTestId("slow-mode-0").ClickAsync();
        await Expect(writer.GetByTestId("slow-mode-notice")).ToHaveCountAsync(0, new() { Timeout = 2000 });
        await Expect(writer.GetByTestId("composer-send")).ToBeEnabledAsync();
    }
}
