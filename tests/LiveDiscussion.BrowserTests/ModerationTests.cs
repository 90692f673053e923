using System.Text.RegularExpressions;
using System.Net.Http.Json;
using LiveDiscussion.BrowserTests.Infrastructure;
using LiveDiscussion.Contracts;
using LiveDiscussion.TestSupport;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveDiscussion.BrowserTests;

public sealed class ModerationTests(BrowserFixture browser, EmptyApp app) : BrowserTest(browser, app), IClassFixture<EmptyApp>
{
    [Fact]
    public async Task A_moderator_closes_with_a_reason_and_a_writers_composer_says_so_at_once_keeping_the_draft_until_reopened()
    {
        using var julia = await App.MemberAsync("julia");
        var thread = await julia.StartThreadAsync("Heated", "Let's talk.");

        var member = await (await NewContextAsync()).NewPageAsync();
        await member.RegisterAsync(App.BaseAddress, "Louise");
        await member.GotoInteractiveAsync($"/t/{thread.Id}/{thread.Slug}");
        await member.GetByTestId("reply-to-post").ClickAsync();
        var draft = member.GetByTestId("composer").GetByRole(AriaRole.Textbox);
        await draft.FillAsync("My long and thoughtful answer, half");

        var moderator = await SignInAsAdminAsync(thread);
        await Expect(member.GetByTestId("close-thread")).ToHaveCountAsync(0);

        await moderator.GetByTestId("close-thread").ClickAsync();
        await moderator.GetByRole(AriaRole.Button, new() { Name = "Resolved — see the summary reply" }).ClickAsync();
        await moderator.GetByTestId("confirm-close").ClickAsync();

        await Expect(member.GetByTestId("composer-closed"))
            .ToContainTextAsync("Comments are closed: Resolved — see the summary reply", new() { Timeout = 2000 });
        await Expect(draft).ToHaveValueAsync("My long and thoughtful answer, half");
        await Expect(member.GetByTestId("composer-send")).ToBeDisabledAsync();
        await Expect(moderator.GetByTestId("closed-notice")).ToContainTextAsync("Resolved — see the summary reply");

        await moderator.GetByTestId("reopen-thread").ClickAsync();

        await Expect(member.GetByTestId("composer-closed")).ToHaveCountAsync(0, new() { Timeout = 2000 });
        await Expect(draft).ToHaveValueAsync("My long and thoughtful answer, half");
        await Expect(member.GetByTestId("composer-send")).ToBeEnabledAsync();
        await Expect(moderator.GetByTestId("close-thread")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_hidden_reply_shows_readers_the_reason_live_while_its_author_still_sees_their_text()
    {
        using var julia = await App.MemberAsync("julia");
        var thread = await julia.StartThreadAsync("Civil", "Keep it civil.");

        var author = await (await NewContextAsync()).NewPageAsync();
        await author.RegisterAsync(App.BaseAddress, "Carl");
        await author.GotoInteractiveAsync($"/t/{thread.Id}/{thread.Slug}");
        await author.GetByTestId("reply-to-post").ClickAsync();
        await author.GetByTestId("composer").GetByRole(AriaRole.Textbox).FillAsync("Something regrettable");
        await author.GetByTestId("composer-send").ClickAsync();
        await Expect(author.GetByTestId("reply-body")).ToHaveTextAsync("Something regrettable");

        var reader = await (await NewContextAsync()).NewPageAsync();
        await reader.GotoInteractiveAsync($"/t/{thread.Id}/{thread.Slug}");
        var moderator = await SignInAsAdminAsync(thread);

        await moderator.GetByTestId("hide-button").ClickAsync();
        await moderator.GetByLabel("Reason readers will see (optional)").FillAsync("Please keep it civil");
        await moderator.GetByTestId("confirm-hide").ClickAsync();

        await Expect(reader.GetByTestId("hidden")).ToHaveTextAsync("Hidden by a moderator: Please keep it civil", new() { Timeout = 2000 });
        await Expect(reader.GetByTestId("hidden-text")).ToHaveCountAsync(0);
        await Expect(author.GetByTestId("hidden")).ToHaveTextAsync("Hidden by a moderator: Please keep it civil", new() { Timeout = 2000 });
        await Expect(author.GetByTestId("hidden-text")).ToHaveTextAsync("Something regrettable");

        await moderator.GetByTestId("restore-button").ClickAsync();
        await Expect(reader.GetByTestId("reply-body")).ToHaveTextAsync("Something regrettable", new() { Timeout = 2000 });
    }

    private async Task<IPage> SignInAsAdminAsync(LiveDiscussion.Contracts.ThreadDetailDto thread)
    {
        var moderator = await (await NewContextAsync()).NewPageAsync();
        await moderator.SignInAsync(TestApp.AdminEmail, TestApp.AdminPassword);
        await moderator.GotoInteractiveAsync($"/t/{thread.Id}/{thread.Slug}");
        return moderator;
    }

    [Fact]
    public async Task Two_moderators_see_a_held_reply_arrive_one_approves_it_the_others_queue_updates_and_readers_see_it_live()
    {
        using var admin = await App.AdminAsync();
        var thread = await admin.StartThreadAsync("Held replies", "New voices welcome, after a look.");
        (await admin.PutAsJsonAsync($"/api/threads/{thread.Id}/moderation", new ApprovalSettingsDto(true))).EnsureSuccessStatusCode();
        var second = await App.AccountAsync("Mira", "Moderator");

        var first = await (await NewContextAsync()).NewPageAsync();
        await first.SignInAsync(TestApp.AdminEmail, TestApp.AdminPassword);
        // Interactive before the click, and at the moderation page after it: a click while the circuit starts can be
        // lost as the layout re-renders, and the old page's marker would otherwise pass for the new one's.
        await first.WaitForInteractiveAsync();
        await first.GetByTestId("moderation-link").ClickAsync();
        await first.WaitForURLAsync("**/moderation");
        await first.WaitForInteractiveAsync();
        var other = await (await NewContextAsync()).NewPageAsync();
        await other.SignInAsync(second.Email!, TestApp.AccountPassword);
        await other.GotoInteractiveAsync("/moderation");
        var reader = await (await NewContextAsync()).NewPageAsync();
        await reader.GotoInteractiveAsync($"/t/{thread.Id}/{thread.Slug}");

        var newcomer = await (await NewContextAsync()).NewPageAsync();
        await newcomer.RegisterAsync(App.BaseAddress, "Goda");
        await newcomer.GotoInteractiveAsync($"/t/{thread.Id}/{thread.Slug}");
        await newcomer.GetByTestId("reply-to-post").ClickAsync();
        await newcomer.GetByTestId("composer").GetByRole(AriaRole.Textbox).FillAsync("My first words here");
        await newcomer.GetByTestId("composer-send").ClickAsync();
        await Expect(newcomer.GetByTestId("awaiting-approval")).ToBeVisibleAsync();

        // The queue is the whole site's, and other tests hold replies on this app too: this test's held reply.
        ILocator HeldHere(IPage moderator) => moderator.GetByTestId("held-reply").Filter(new() { HasText = "My first words here" });
        await Expect(HeldHere(first)).ToContainTextAsync("My first words here", new() { Timeout = 3000 });
        await Expect(HeldHere(other)).ToContainTextAsync("My first words here", new() { Timeout = 3000 });
        await Expect(reader.GetByTestId("reply")).ToHaveCountAsync(0);

        await HeldHere(first).GetByTestId("approve").ClickAsync();

        await Expect(HeldHere(other)).ToHaveCountAsync(0, new() { Timeout = 3000 });
        await Expect(other.GetByTestId("recent-decisions")).ToContainTextAsync("Admin approve-reply");
        await Expect(reader.GetByTestId("reply-body")).ToHaveTextAsync("My first words here", new() { Timeout = 3000 });
        await Expect(newcomer.GetByTestId("awaiting-approval")).ToHaveCountAsync(0, new() { Timeout = 3000 });
    }

    [Fact]
    public async Task A_writer_caught_by_a_close_sends_the_draft_to_the_moderators_instead_and_keeps_it()
    {
        using var admin = await App.AdminAsync();
        var thread = await admin.StartThreadAsync("Closing", "Last words?");
        var writer = await Context.NewPageAsync();
        await writer.RegisterAsync(App.BaseAddress, "Louise");
        await writer.GotoInteractiveAsync($"/t/{thread.Id}/{thread.Slug}");
        await writer.GetByTestId("reply-to-post").ClickAsync();
        await writer.GetByTestId("composer").GetByRole(AriaRole.Textbox).FillAsync("A point the moderators should see");

        (await admin.PostAsJsonAsync($"/api/threads/{thread.Id}/close", new CloseThreadRequest("Resolved"))).EnsureSuccessStatusCode();
        await writer.GetByTestId("send-to-moderators").ClickAsync();

        await Expect(writer.GetByTestId("composer")).ToHaveCountAsync(0);
        await Expect(writer.GetByTestId("awaiting-approval")).ToBeVisibleAsync();
        await Expect(writer.GetByTestId("reply-body")).ToHaveTextAsync("A point the moderators should see");
        var queue = await (await admin.GetAsync("/api/moderation/queue")).ReadAsync<List<HeldReplyDto>>();
        var held = Assert.Single(queue, item => item.Reply.ThreadId == thread.Id).Reply;
        Assert.Equal("A point the moderators should see", held.Body);
        Assert.Empty((await App.Anonymous().GetThreadAsync(thread.Id)).Replies);

        (await admin.PostAsJsonAsync($"/api/replies/{held.Id}/reject", new RejectReplyRequest("Already covered in the summary")))
            .EnsureSuccessStatusCode();

        await Expect(writer.GetByTestId("rejected"))
            .ToHaveTextAsync("Not approved by a moderator: Already covered in the summary Only you can see it.", new() { Timeout = 3000 });
        await Expect(writer.Locator(".hidden-text")).ToHaveTextAsync("A point the moderators should see");
    }

    [Fact]
    public async Task A_moderator_suspends_an_author_from_the_page_and_their_open_page_says_so_at_once_and_keeps_the_draft()
    {
        using var admin = await App.AdminAsync();
        var thread = await admin.StartThreadAsync("Tempers", "Stay calm.");
        var author = await Context.NewPageAsync();
        await author.RegisterAsync(App.BaseAddress, "Troll");
        await author.GotoInteractiveAsync($"/t/{thread.Id}/{thread.Slug}");
        await author.GetByTestId("reply-to-post").ClickAsync();
        await author.GetByTestId("composer").GetByRole(AriaRole.Textbox).FillAsync("Insult number one");
        await author.GetByTestId("composer-send").ClickAsync();
        await Expect(author.GetByTestId("reply-body")).ToHaveTextAsync("Insult number one");
        await author.GetByTestId("reply-to-post").ClickAsync();
        var draft = author.GetByTestId("composer").GetByRole(AriaRole.Textbox);
        await draft.FillAsync("Insult number two");

        var moderator = await SignInAsAdminAsync(thread);
        await moderator.GetByTestId("suspend-button").ClickAsync();
        await moderator.GetByLabel("Reason they will see").FillAsync("Insults");
        await moderator.GetByTestId("confirm-suspend").ClickAsync();
        await Expect(moderator.GetByText("Troll can read but not write for 1 day(s).")).ToBeVisibleAsync();

        // The author's open page learns it from the node bus, not from a refused send.
        await Expect(author.GetByTestId("composer-suspended")).ToContainTextAsync("Your account is suspended until");
        await Expect(author.GetByTestId("composer-suspended")).ToContainTextAsync("Insults");
        await Expect(author.GetByTestId("composer-send")).ToBeDisabledAsync();
        await Expect(draft).ToHaveValueAsync("Insult number two");
        await Expect(author.GetByTestId("reply-button")).ToHaveCountAsync(0);
        Assert.Single((await admin.GetThreadAsync(thread.Id)).Replies);
    }
}
