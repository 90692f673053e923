using System.Net.Http.Json;
using LiveDiscussion.BrowserTests.Infrastructure;
using LiveDiscussion.Contracts;
using LiveDiscussion.TestSupport;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveDiscussion.BrowserTests;

public sealed class ReaderReportsTests(BrowserFixture browser, EmptyApp app) : BrowserTest(browser, app), IClassFixture<EmptyApp>
{
    [Fact]
    public async Task A_readers_report_reaches_two_moderators_live_queue_and_one_dismissing_it_clears_the_others()
    {
        using var author = await App.MemberAsync("carl");
        var thread = await author.StartThreadAsync("Reported", "Talk here.");
        var reply = await author.ReplyAsync(thread.Id, "Buy followers now");
        var mira = await App.AccountAsync("Mira", "Moderator");
        var first = await ModerationPageAsync(TestApp.AdminEmail, TestApp.AdminPassword);
        var second = await ModerationPageAsync(mira.Email!, TestApp.AccountPassword);

        var reader = await (await NewContextAsync()).NewPageAsync();
        await reader.RegisterAsync(App.BaseAddress, "Louise");
        await reader.GotoInteractiveAsync($"/t/{thread.Id}/{thread.Slug}");
        await reader.GetByTestId("report-button").ClickAsync();
        await reader.GetByTestId("report-panel").GetByText("Spam").ClickAsync();
        await reader.GetByLabel("A note for the moderators (optional)").FillAsync("a follower farm");
        await reader.GetByTestId("confirm-report").ClickAsync();
        await Expect(reader.GetByTestId("reported")).ToHaveTextAsync("Reported — thank you");

        // The queue is the whole site's: this test's reply.
        ILocator Reported(IPage moderator) => moderator.GetByTestId("reported-reply").Filter(new() { HasText = "Buy followers now" });
        foreach (var moderator in new[] { first, second })
        {
            await Expect(Reported(moderator).GetByTestId("report-count")).ToHaveTextAsync("1 report", new() { Timeout = 3000 });
            await Expect(Reported(moderator).GetByTestId("report")).ToContainTextAsync("Louise: Spam — “a follower farm”");
        }

        using var other = await App.MemberAsync("goda");
        (await other.PostAsJsonAsync($"/api/replies/{reply.Id}/flags", new FlagReplyRequest("abuse"))).EnsureSuccessStatusCode();
        foreach (var moderator in new[] { first, second })
        {
            await Expect(Reported(moderator).GetByTestId("report-count")).ToHaveTextAsync("2 reports", new() { Timeout = 3000 });
            await Expect(Reported(moderator).GetByTestId("report-reasons")).ToHaveTextAsync("(Abusive or hateful ×1, Spam ×1)");
        }

        await Reported(first).GetByTestId("dismiss-reports").ClickAsync();

        await Expect(Reported(second)).ToHaveCountAsync(0, new() { Timeout = 3000 });
        await Expect(Reported(first)).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task At_the_threshold_the_reply_hides_live_for_a_reader_and_the_moderator_sees_it_awaiting_review()
    {
        using var author = await App.MemberAsync("carl");
        var thread = await author.StartThreadAsync("Pile-on", "Talk here.");
        var reply = await author.ReplyAsync(thread.Id, "An unpopular opinion");
        var reader = await Context.NewPageAsync();
        await reader.GotoInteractiveAsync($"/t/{thread.Id}/{thread.Slug}");
        var moderator = await ModerationPageAsync(TestApp.AdminEmail, TestApp.AdminPassword);

        for (var i = 0; i < 3; i++)
        {
            using var member = await App.MemberAsync();
            (await member.PostAsJsonAsync($"/api/replies/{reply.Id}/flags", new FlagReplyRequest("off-topic"))).EnsureSuccessStatusCode();
        }

        await Expect(reader.GetByTestId("hidden"))
            .ToHaveTextAsync("Hidden after reports from readers. A moderator will review it.", new() { Timeout = 3000 });
        await Expect(reader.GetByTestId("reply-body")).ToHaveCountAsync(0);
        var reported = moderator.GetByTestId("reported-reply").Filter(new() { HasText = "An unpopular opinion" });
        await Expect(reported.GetByTestId("auto-hidden")).ToHaveTextAsync("Hidden by the reports, awaiting review", new() { Timeout = 3000 });

        await reported.GetByTestId("dismiss-reports").ClickAsync();

        await Expect(reader.GetByTestId("reply-body")).ToHaveTextAsync("An unpopular opinion", new() { Timeout = 3000 });
    }

    private async Task<IPage> ModerationPageAsync(string email, string password)
    {
        var page = await (await NewContextAsync()).NewPageAsync();
        await page.SignInAsync(email, password);
        await page.GotoInteractiveAsync("/moderation");
        return page;
    }
}
