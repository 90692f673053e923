using System.Net.Http.Json;
using LiveDiscussion.BrowserTests.Infrastructure;
using LiveDiscussion.Contracts;
using LiveDiscussion.TestSupport;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveDiscussion.BrowserTests;

public sealed class ReplyingTests(BrowserFixture browser, EmptyApp app) : BrowserTest(browser, app), IClassFixture<EmptyApp>
{
    [Fact]
    public async Task A_member_signs_in_replies_to_a_reply_sees_it_nested_under_it_and_it_is_still_there_after_a_reload()
    {
        using var julia = await App.MemberAsync("julia");
        var thread = await julia.StartThreadAsync("Solidarity online", "Does it last?");
        var juliasReply = await julia.ReplyAsync(thread.Id, "Opening thoughts from the author");
        var email = $"louise-{Guid.NewGuid():N}@test.example";
        using (var api = App.Anonymous())
        {
            (await api.PostAsJsonAsync("/api/auth/register", new { email, password = "louise-password" })).EnsureSuccessStatusCode();
        }

        var page = await Context.NewPageAsync();
        await page.GotoInteractiveAsync($"/t/{thread.Id}/{thread.Slug}");
        await page.GetByTestId("sign-in-to-reply").GetByRole(AriaRole.Link, new() { Name = "Sign in to reply" }).ClickAsync();
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync("not her password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("That email and password do not match an account.");
        await page.GetByLabel("Password").FillAsync("louise-password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        // Signing in brings her back to the thread she was reading.
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/t/{thread.Id}/{thread.Slug}$"));
        await page.WaitForInteractiveAsync();

        var parent = page.Locator($"#reply-{juliasReply.Id}");
        await parent.GetByTestId("reply-button").ClickAsync();
        var composer = parent.GetByTestId("composer");
        await composer.GetByRole(AriaRole.Textbox).FillAsync("I think it **does**, for a while.");
        await composer.GetByRole(AriaRole.Tab, new() { Name = "Preview" }).ClickAsync();
        await Expect(composer.GetByTestId("preview").Locator("strong")).ToHaveTextAsync("does");
        await composer.GetByTestId("composer-send").ClickAsync();

        var nested = parent.Locator(".replies [data-testid=reply]");
        await Expect(nested).ToHaveCountAsync(1);
        await Expect(nested.Locator("header .author")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^member-"));
        await Expect(nested.GetByTestId("reply-body")).ToContainTextAsync("I think it does, for a while.");
        await Expect(page.GetByTestId("reply-count")).ToHaveTextAsync("2 replies");
        await Expect(composer).ToHaveCountAsync(0);

        await page.ReloadAsync();
        await page.WaitForInteractiveAsync();
        var afterReload = page.Locator($"#reply-{juliasReply.Id} .replies [data-testid=reply]");
        await Expect(afterReload).ToHaveCountAsync(1);
        await Expect(afterReload.GetByTestId("reply-body")).ToContainTextAsync("I think it does, for a while.");
        Assert.Equal(juliasReply.Id, (await julia.GetThreadAsync(thread.Id)).Replies[1].ParentReplyId);
    }

    [Fact]
    public async Task When_the_thread_closes_while_a_member_writes_the_composer_says_why_and_keeps_the_draft_until_it_reopens()
    {
        using var admin = await App.AdminAsync();
        var thread = await admin.StartThreadAsync("Closing soon", "Say it quickly.");

        var page = await Context.NewPageAsync();
        await page.RegisterAsync(App.BaseAddress, "Carl");
        await page.GotoInteractiveAsync($"/t/{thread.Id}/{thread.Slug}");
        await page.GetByTestId("reply-to-post").ClickAsync();
        var draft = "A long, careful answer that took me ten minutes to write.";
        var textbox = page.GetByTestId("composer").GetByRole(AriaRole.Textbox);
        await textbox.FillAsync(draft);

        (await admin.PostAsJsonAsync($"/api/threads/{thread.Id}/close", new CloseThreadRequest("Resolved, see the summary")))
            .EnsureSuccessStatusCode();

        await Expect(page.GetByTestId("composer-closed")).ToContainTextAsync("Comments are closed: Resolved, see the summary");
        await Expect(page.GetByTestId("closed-notice")).ToContainTextAsync("Resolved, see the summary");
        await Expect(textbox).ToHaveValueAsync(draft);
        await Expect(page.GetByTestId("composer-send")).ToBeDisabledAsync();
        Assert.Empty((await admin.GetThreadAsync(thread.Id)).Replies);

        (await admin.PostAsync($"/api/threads/{thread.Id}/reopen", null)).EnsureSuccessStatusCode();

        await Expect(page.GetByTestId("composer-closed")).ToHaveCountAsync(0);
        await Expect(textbox).ToHaveValueAsync(draft);
        await page.GetByTestId("composer-send").ClickAsync();
        await Expect(page.GetByTestId("reply").GetByTestId("reply-body")).ToHaveTextAsync(draft);
    }

    [Fact]
    public async Task A_blank_reply_is_refused_on_the_page_and_nothing_is_posted()
    {
        using var admin = await App.AdminAsync();
        var thread = await admin.StartThreadAsync("Blank", "Try sending nothing.");

        var page = await Context.NewPageAsync();
        await page.RegisterAsync(App.BaseAddress, "Goda");
        await page.GotoInteractiveAsync($"/t/{thread.Id}/{thread.Slug}");
        await page.GetByTestId("reply-to-post").ClickAsync();
        await page.GetByTestId("composer").GetByRole(AriaRole.Textbox).FillAsync("   ");
        await page.GetByTestId("composer-send").ClickAsync();

        await Expect(page.GetByTestId("composer-error")).ToContainTextAsync("A reply must not be empty.");
        Assert.Empty((await admin.GetThreadAsync(thread.Id)).Replies);
    }

    [Fact]
    public async Task A_member_starts_a_thread_then_edits_and_deletes_their_reply_by_keyboard_and_mouse()
    {
        var page = await Context.NewPageAsync();
        await page.RegisterAsync(App.BaseAddress, "Julia");
        await page.GotoInteractiveAsync("/");
        await page.GetByTestId("start-thread").ClickAsync();
        await page.WaitForInteractiveAsync();
        await page.GetByLabel("Title").FillAsync("New media and democracy");
        await page.GetByTestId("composer").GetByRole(AriaRole.Textbox).FillAsync("Is it a risk?");
        await page.GetByTestId("composer-send").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("New media and democracy");

        await page.GetByTestId("reply-to-post").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        var textbox = page.GetByTestId("composer").GetByRole(AriaRole.Textbox);
        await Expect(textbox).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("Frist!");
        await page.Keyboard.PressAsync("Control+Enter");
        var reply = page.GetByTestId("reply");
        await Expect(reply.GetByTestId("reply-body")).ToHaveTextAsync("Frist!");

        await reply.GetByTestId("edit-button").ClickAsync();
        await reply.GetByRole(AriaRole.Textbox).FillAsync("First!");
        await reply.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(reply.GetByTestId("reply-body")).ToHaveTextAsync("First!");
        await Expect(reply.Locator(".edited")).ToHaveTextAsync("(edited)");

        await reply.GetByTestId("delete-button").ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await Expect(reply.GetByTestId("deleted")).ToHaveTextAsync("[deleted]");
        await Expect(page.GetByTestId("reply-count")).ToHaveTextAsync("0 replies");

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Sign in", Exact = true })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("sign-in-to-reply")).ToBeVisibleAsync();
    }
}
