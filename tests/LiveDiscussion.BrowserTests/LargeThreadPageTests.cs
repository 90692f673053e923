using System.Text.RegularExpressions;
using LiveDiscussion.BrowserTests.Infrastructure;
using LiveDiscussion.TestSupport;
using LiveDiscussion.Web.Features.Threads;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveDiscussion.BrowserTests;

/// <summary>A 2,000-reply thread read as a person reads it: a screenful first, more on request, links into its depths.</summary>
public sealed class LargeThreadPageTests(BrowserFixture browser, EmptyApp app) : BrowserTest(browser, app), IClassFixture<EmptyApp>, IAsyncLifetime
{
    private static readonly LocatorAssertionsToHaveCountOptions WithinTenSeconds = new() { Timeout = 10_000 };

    private GeneratedThread _thread = default!;

    async Task IAsyncLifetime.InitializeAsync()
    {
        await InitializeAsync();
        _thread = await BigThread.WriteAsync(App, BigThreadShape.TwoThousandReplies);
    }

    [Fact]
    public async Task The_first_screen_shows_a_page_of_replies_and_load_more_brings_the_next_in_tree_order()
    {
        var page = await Context.NewPageAsync();
        await page.GotoInteractiveAsync(_thread.Path);

        var replies = page.GetByTestId("reply");
        var firstPage = _thread.DrawnOnThePage(_thread.TreeOrder().Take(ThreadSession.FirstPageSize));
        await Expect(replies).ToHaveCountAsync(firstPage.Count);
        await Expect(page.GetByTestId("reply-count")).ToHaveTextAsync(new Regex("^2,?000 replies$"));
        Assert.Equal(firstPage, await IdsAsync(replies));

        await page.GetByTestId("load-more").ClickAsync();

        var twoPages = _thread.DrawnOnThePage(_thread.TreeOrder().Take(ThreadSession.FirstPageSize + ThreadSession.PageSize));
        await Expect(replies).ToHaveCountAsync(twoPages.Count, WithinTenSeconds);
        Assert.Equal(twoPages, await IdsAsync(replies));
    }

    [Fact]
    public async Task A_link_to_a_reply_deep_in_the_thread_opens_it_marked_below_its_parents_and_answering_works_there()
    {
        var target = _thread.Replies.Where(r => r.Depth >= 4).Skip(300).First();
        var parent = _thread.Replies.Single(r => r.Id == target.ParentReplyId);
        var page = await Context.NewPageAsync();
        await page.RegisterAsync(App.BaseAddress, "Deeplinker");

        await page.GotoInteractiveAsync($"{_thread.Path}/r/{target.Id}");

        var focused = page.Locator("[data-testid=reply][aria-current=true]");
        await Expect(focused).ToHaveAttributeAsync("data-reply-id", target.Id.ToString());
        await Expect(focused.Locator("> [data-testid=reply-body]")).ToContainTextAsync(FirstWords(target.Body));
        await Expect(focused).ToBeInViewportAsync();
        await Expect(page.Locator($"#reply-{parent.Id} > .replies > #reply-{target.Id}")).ToHaveCountAsync(1);
        await Expect(page.GetByTestId("whole-thread")).ToBeVisibleAsync();

        await focused.Locator("> .reply-actions [data-testid=reply-button]").ClickAsync();
        var composer = focused.Locator("[data-testid=composer]").First;
        await composer.GetByRole(AriaRole.Textbox).FillAsync("An answer from a link deep in the thread.");
        await composer.GetByTestId("composer-send").ClickAsync();
        await Expect(focused.Locator("> .replies > [data-testid=reply]").Filter(new() { HasText = "An answer from a link deep in the thread." }))
            .ToHaveCountAsync(1, WithinTenSeconds);
    }

    [Fact]
    public async Task A_link_to_a_reply_that_is_not_there_shows_the_thread_with_a_notice_not_an_error()
    {
        var page = await Context.NewPageAsync();

        await page.GotoInteractiveAsync($"{_thread.Path}/r/987654321");

        await Expect(page.GetByTestId("link-notice")).ToContainTextAsync("not here");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(_thread.Title);
        await Expect(page.GetByTestId("reply")).ToHaveCountAsync(_thread.DrawnOnThePage(_thread.TreeOrder().Take(ThreadSession.FirstPageSize)).Count);
    }

    [Fact]
    public async Task Answers_collapse_and_expand_and_jump_to_the_newest_opens_the_newest_reply()
    {
        var page = await Context.NewPageAsync();
        await page.GotoInteractiveAsync(_thread.Path);
        var withAnswersId = await page.Locator("[data-testid=reply]:has(> [data-testid=collapse])").First.GetAttributeAsync("data-reply-id");
        var withAnswers = page.Locator($"#reply-{withAnswersId}");
        var answers = withAnswers.Locator("> .replies > [data-testid=reply]");
        var shown = await answers.CountAsync();
        Assert.True(shown > 0);

        await withAnswers.Locator("> [data-testid=collapse]").ClickAsync();

        await Expect(answers).ToHaveCountAsync(0);
        await Expect(withAnswers.Locator("> [data-testid=expand]")).ToHaveTextAsync(new Regex("^Show [0-9]+ answers?$"));
        await withAnswers.Locator("> [data-testid=expand]").ClickAsync();
        await Expect(answers).ToHaveCountAsync(shown);

        await page.GetByTestId("jump-to-newest").ClickAsync();

        var newest = _thread.Newest;
        await Expect(page.Locator("[data-testid=reply][aria-current=true]")).ToHaveAttributeAsync("data-reply-id", newest.Id.ToString());
        await Expect(page.Locator($"#reply-{newest.Id}")).ToBeInViewportAsync();
    }

    private static string FirstWords(string markdown) =>
        Regex.Match(markdown, @"[A-Za-z][A-Za-z ,']{10,40}").Value.Trim();

    private static async Task<List<long>> IdsAsync(ILocator replies) =>
        [.. (await replies.EvaluateAllAsync<string[]>("all => all.map(r => r.dataset.replyId)")).Select(long.Parse)];
}
