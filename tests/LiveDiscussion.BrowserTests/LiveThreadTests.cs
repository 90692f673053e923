using System.Text.RegularExpressions;
using LiveDiscussion.BrowserTests.Infrastructure;
using LiveDiscussion.Contracts;
using LiveDiscussion.TestSupport;
using LiveDiscussion.Web.Data;
using LiveDiscussion.Web.Features.Content;
using LiveDiscussion.Web.Features.Events;
using LiveDiscussion.Web.Features.Replies;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveDiscussion.BrowserTests;

/// <summary>Two people, each in their own browser context, looking at the same thread.</summary>
public sealed class LiveThreadTests(BrowserFixture browser, EmptyApp app) : BrowserTest(browser, app), IClassFixture<EmptyApp>
{
    private static readonly LocatorAssertionsToHaveCountOptions WithinTwoSeconds = new() { Timeout = 2000 };

    [Fact]
    public async Task A_reply_appears_live_for_the_other_reader_while_their_half_written_draft_stays_intact()
    {
        using var julia = await App.MemberAsync("julia");
        var thread = await julia.StartThreadAsync("Live or not", "Watch this space.");
        var juliasReply = await julia.ReplyAsync(thread.Id, "Julia's opening comment");
        var (louise, _) = await OpenAsAsync("Louise", thread);
        var (carl, carlsContext) = await OpenAsAsync("Carl", thread);

        await carl.Locator($"#reply-{juliasReply.Id}").GetByTestId("reply-button").ClickAsync();
        var carlsDraft = carl.GetByTestId("composer").GetByRole(AriaRole.Textbox);
        await carlsDraft.PressSequentiallyAsync("Half a thought about");

        await louise.GetByTestId("reply-to-post").ClickAsync();
        await louise.GetByTestId("composer").GetByRole(AriaRole.Textbox).FillAsync("Louise says hello, live.");
        await louise.GetByTestId("composer-send").ClickAsync();

        var arrived = carl.GetByTestId("reply").Filter(new() { HasText = "Louise says hello, live." });
        await Expect(arrived).ToHaveCountAsync(1, new() { Timeout = 2000 });
        await Expect(arrived).ToHaveClassAsync(new Regex("just-arrived"));
        await Expect(carl.GetByTestId("reply-count")).ToHaveTextAsync("2 replies");
        await Expect(carl.GetByTestId("announcer")).ToHaveTextAsync("New reply from Louise.");
        await Expect(carlsDraft).ToHaveValueAsync("Half a thought about");
        await Expect(carlsDraft).ToBeFocusedAsync();

        await carlsDraft.PressSequentiallyAsync(" live threads.");
        await Expect(carlsDraft).ToHaveValueAsync("Half a thought about live threads.");
        await carlsContext.Pages[0].Keyboard.PressAsync("Control+Enter");
        await Expect(louise.Locator($"#reply-{juliasReply.Id} .replies [data-testid=reply]"))
            .ToHaveCountAsync(1, WithinTwoSeconds);
    }

    [Fact]
    public async Task The_other_reader_sees_who_is_replying_to_whom_until_they_stop_and_how_many_watch()
    {
        using var julia = await App.MemberAsync("julia");
        var thread = await julia.StartThreadAsync("Typing", "Who is there?");
        var juliasReply = await julia.ReplyAsync(thread.Id, "Julia's comment");
        var (louise, _) = await OpenAsAsync("Louise", thread);
        var (carl, _) = await OpenAsAsync("Carl", thread);

        await Expect(carl.GetByTestId("viewer-count")).ToHaveTextAsync(new Regex("2 watching"));
        await Expect(louise.GetByTestId("viewer-count")).ToHaveTextAsync(new Regex("2 watching"));

        await louise.Locator($"#reply-{juliasReply.Id}").GetByTestId("reply-button").ClickAsync();
        await louise.GetByTestId("composer").GetByRole(AriaRole.Textbox).PressSequentiallyAsync("I am typing");

        var underJulia = carl.Locator($"#reply-{juliasReply.Id} > [data-testid=typing-line]");
        await Expect(underJulia).ToHaveTextAsync(new Regex("^Louise is replying to member-.*…$"), new() { Timeout = 3000 });
        await Expect(carl.GetByTestId("typing-summary")).ToHaveTextAsync("Louise is typing…");
        await Expect(louise.GetByTestId("typing-summary")).ToHaveCountAsync(0);

        await louise.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Expect(underJulia).ToHaveTextAsync("", new() { Timeout = 3000 });

        await louise.CloseAsync();
        await Expect(carl.GetByTestId("viewer-count")).ToHaveTextAsync(new Regex("1 watching"), new() { Timeout = 5000 });
    }

    [Fact]
    public async Task A_reader_who_prefers_a_button_gets_one_instead_of_replies_moving_the_page()
    {
        using var julia = await App.MemberAsync("julia");
        var thread = await julia.StartThreadAsync("Calm reading", "No surprises please.");
        var (reader, _) = await OpenAsAsync("Goda", thread);

        await reader.GetByLabel("Insert new replies live").ClickAsync();
        await julia.ReplyAsync(thread.Id, "First news");
        await julia.ReplyAsync(thread.Id, "Second news");

        var button = reader.GetByTestId("show-new-replies");
        await Expect(button).ToHaveTextAsync("Show 2 new replies");
        await Expect(reader.GetByTestId("reply")).ToHaveCountAsync(0);
        await Expect(reader.GetByTestId("announcer")).ToContainTextAsync("2 new replies");

        await button.ClickAsync();
        await Expect(reader.GetByTestId("reply")).ToHaveCountAsync(2);

        await reader.ReloadAsync();
        await reader.WaitForInteractiveAsync();
        await Expect(reader.GetByLabel("Insert new replies live")).Not.ToBeCheckedAsync();
    }

    [Fact]
    public async Task A_reader_scrolled_far_from_a_new_reply_gets_a_chip_that_jumps_to_it_instead_of_a_moving_page()
    {
        using var julia = await App.MemberAsync("julia");
        var thread = await julia.StartThreadAsync("Long thread", "Lots to read.");
        for (var i = 0; i < 12; i++)
        {
            await julia.ReplyAsync(thread.Id, $"Reply {i}\n\n" + string.Join("\n\n", Enumerable.Repeat("A long paragraph of discussion.", 6)));
        }

        var (reader, _) = await OpenAsAsync("Goda", thread);
        await reader.SetViewportSizeAsync(1000, 700);
        await reader.EvaluateAsync("window.scrollTo(0, 0)");
        var scrolledBefore = await reader.EvaluateAsync<double>("window.scrollY");

        var late = await julia.ReplyAsync(thread.Id, "Way down at the bottom");

        var chip = reader.GetByTestId("new-replies-chip");
        await Expect(chip).ToHaveTextAsync("1 new reply", new() { Timeout = 5000 });
        Assert.Equal(scrolledBefore, await reader.EvaluateAsync<double>("window.scrollY"));

        await chip.ClickAsync();
        await Expect(reader.Locator($"#reply-{late.Id}")).ToBeInViewportAsync();
        await Expect(chip).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_change_that_never_reached_the_page_is_filled_in_from_the_log_when_the_next_one_arrives()
    {
        using var julia = await App.MemberAsync("julia");
        var thread = await julia.StartThreadAsync("Lossy network", "Something will get lost.");
        var (reader, _) = await OpenAsAsync("Goda", thread);

        // Committed with its seq, but published to no one: as if the news was lost on its way.
        await using (var db = await App.Service<IDbContextFactory<DiscussionDbContext>>().CreateDbContextAsync())
        {
            var stored = await db.Threads.SingleAsync(t => t.Id == thread.Id);
            var lost = new Reply
            {
                ThreadId = thread.Id, AuthorName = "Ghost", Body = "The reply whose news was lost",
                CreatedAt = DateTimeOffset.UtcNow, State = ReplyState.Visible,
            };
            db.Replies.Add(lost);
            await db.SaveChangesAsync();
            App.Service<ThreadEventLog>().Append(db, stored, ThreadEventTypes.ReplyPosted, lost.ToDto(stored, App.Service<BodyRenderer>()));
            await db.SaveChangesAsync();
        }

        await Task.Delay(500);
        await Expect(reader.GetByTestId("reply")).ToHaveCountAsync(0);

        await julia.ReplyAsync(thread.Id, "The next reply, published as usual");

        await Expect(reader.GetByTestId("reply")).ToHaveCountAsync(2, WithinTwoSeconds);
        Assert.Equal(["The reply whose news was lost", "The next reply, published as usual"],
            await reader.GetByTestId("reply-body").AllInnerTextsAsync());
        await Expect(reader.GetByTestId("reply-count")).ToHaveTextAsync("2 replies");
    }

    [Fact]
    public async Task The_thread_list_shows_new_threads_and_reply_counts_live()
    {
        var page = await Context.NewPageAsync();
        await page.GotoInteractiveAsync("/");
        using var julia = await App.MemberAsync("julia");

        var thread = await julia.StartThreadAsync("Brand new thread", "Fresh.");
        var row = page.GetByTestId("thread-row").Filter(new() { HasText = "Brand new thread" });
        await Expect(row).ToContainTextAsync("0 replies", new() { Timeout = 3000 });

        await julia.ReplyAsync(thread.Id, "A first reply");
        await Expect(row).ToContainTextAsync("1 reply", new() { Timeout = 3000 });
    }

    private async Task<(IPage Page, IBrowserContext Context)> OpenAsAsync(string name, LiveDiscussion.Contracts.ThreadDetailDto thread)
    {
        var context = await NewContextAsync();
        var page = await context.NewPageAsync();
        await page.RegisterAsync(App.BaseAddress, name);
        await page.GotoInteractiveAsync($"/t/{thread.Id}/{thread.Slug}");
        return (page, context);
    }
}
