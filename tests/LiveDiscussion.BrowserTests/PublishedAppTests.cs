using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using LiveDiscussion.BrowserTests.Infrastructure;
using LiveDiscussion.Contracts;
using LiveDiscussion.TestSupport;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;
using Xunit.Abstractions;

namespace LiveDiscussion.BrowserTests;

/// <summary>
/// The app published and run as the Dockerfile runs it (Release, Production, its own process), with threads of the
/// sizes people read: the demo thread as imported, and two thousand replies. Each page is opened by its address, as a
/// shared link or a search result opens it, and must stay connected and live.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PublishedAppTests(BrowserFixture browser, PublishedApp published, ITestOutputHelper output) : IAsyncLifetime
{
    private const string DemoTitle = "Is new media activism an illusion of new solidarity?";
    private static readonly TimeSpan QuietPeriod = TimeSpan.FromSeconds(10);
    private static readonly LocatorAssertionsToContainTextOptions WithinTenSeconds = new() { Timeout = 10_000 };

    /// <summary>
    /// Generous for a shared two-core machine: this catches a circuit that never starts, not a slow one (the output
    /// prints how long the page took to load and to become interactive).
    /// </summary>
    private static readonly TimeSpan BigPageTimeout = TimeSpan.FromSeconds(30);

    private readonly List<IBrowserContext> _contexts = [];
    private NodeProcess _app = null!;

    public async Task InitializeAsync()
    {
        var stopwatch = Stopwatch.StartNew();
        _app = await published.StartedAsync();
        output.WriteLine($"published in {published.PublishTime.TotalSeconds:F0} s; node ready after {stopwatch.Elapsed.TotalSeconds:F0} s in this test");
    }

    public async Task DisposeAsync()
    {
        foreach (var context in _contexts)
        {
            await context.DisposeAsync();
        }
    }

    [Fact]
    public async Task The_demo_thread_opened_by_its_address_loads_its_styles_stays_connected_and_shows_changes_live()
    {
        using var admin = await _app.AdminAsync();
        var demo = (await admin.ListThreadsAsync()).Single(t => t.Title == DemoTitle);

        var page = await NewPageAsync();
        var watch = CircuitWatch.Attach(page, () => _app.Output);
        await watch.OpenAsync($"/t/{demo.Id}/{demo.Slug}");

        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(DemoTitle);
        await Expect(page.GetByTestId("closed-notice")).ToContainTextAsync("Comments are closed.");
        watch.AssertStaticAssetsLoaded();
        await watch.AssertStaysConnectedAsync(QuietPeriod);

        // A second reader arrives: the first page counts them without a reload.
        var second = await NewPageAsync();
        await CircuitWatch.Attach(second, () => _app.Output).OpenAsync($"/t/{demo.Id}/{demo.Slug}");
        await Expect(page.GetByTestId("viewer-count")).ToContainTextAsync("2 watching", WithinTenSeconds);

        (await admin.PostAsync($"/api/threads/{demo.Id}/reopen", null)).EnsureSuccessStatusCode();
        await Expect(page.GetByTestId("closed-notice")).ToHaveCountAsync(0, new() { Timeout = 10_000 });
        await Expect(page.GetByTestId("sign-in-to-reply")).ToContainTextAsync("Sign in to reply");

        var posted = await admin.ReplyAsync(demo.Id, "Reopened for a follow-up: the question is still open a decade later.");
        await Expect(page.Locator($"#reply-{posted.Id}")).ToContainTextAsync("the question is still open a decade later", WithinTenSeconds);
        watch.AssertNoCircuitProblems();
        watch.AssertContentSecurityPolicyHeldWithoutViolations();
    }

    [Fact]
    public async Task A_two_thousand_reply_thread_opened_by_its_address_takes_replies_from_the_api_and_from_its_reader_and_stays_live()
    {
        var stopwatch = Stopwatch.StartNew();
        var thread = await BigThread.WriteAsync(_app.DatabasePath, BigThreadShape.TwoThousandReplies);
        output.WriteLine($"generated {thread.Replies.Count} replies, {thread.TotalBodyLength:N0} characters, in {stopwatch.Elapsed.TotalSeconds:F1} s");

        // A desktop screen (1920×1200 class): the post and the first four replies of the opening exchange fit on it.
        var page = await NewPageAsync(height: 1200);
        await page.RegisterAsync(_app.BaseAddress, "Reader");
        var watch = CircuitWatch.Attach(page, () => _app.Output);
        stopwatch.Restart();
        var loadedAfter = TimeSpan.Zero;
        page.Load += (_, _) => loadedAfter = stopwatch.Elapsed;
        await watch.OpenAsync(thread.Path, BigPageTimeout);
        output.WriteLine($"loaded after {loadedAfter.TotalSeconds:F1} s, interactive after {stopwatch.Elapsed.TotalSeconds:F1} s");

        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(thread.Title);
        await Expect(page.GetByTestId("reply-count")).ToHaveTextAsync(new Regex("^2,?000 replies$"));
        var deep = await ReplyThreeDeepOnTheFirstScreenAsync(page);

        // Whatever part of the tree the page shows first, a new top-level reply must appear on it.
        using var poster = await _app.MemberAsync("poster");
        var fromApi = await poster.ReplyAsync(thread.Id, "Posted through the API into two thousand replies.");
        await Expect(page.Locator($"#reply-{fromApi.Id}")).ToContainTextAsync("Posted through the API into two thousand replies.", WithinTenSeconds);

        await page.Locator($"#reply-{deep} > .reply-actions [data-testid=reply-button]").ClickAsync();
        var composer = page.Locator($"#reply-{deep} [data-testid=composer]").First;
        await composer.GetByRole(AriaRole.Textbox).FillAsync("Answering three levels down, *from the page*.");
        await composer.GetByTestId("composer-send").ClickAsync();
        await Expect(page.Locator($"#reply-{deep} > .replies > [data-testid=reply]").Filter(new() { HasText = "Answering three levels down, from the page." }))
            .ToHaveCountAsync(1, new() { Timeout = 10_000 });

        await page.GetByTestId("reply-to-post").ClickAsync();
        await page.Locator(".post-reply-area [data-testid=composer]").GetByRole(AriaRole.Textbox).FillAsync("Answering the post itself, from the page.");
        await page.Locator(".post-reply-area [data-testid=composer-send]").ClickAsync();
        await Expect(page.GetByTestId("reply-body").Filter(new() { HasText = "Answering the post itself, from the page." }))
            .ToHaveCountAsync(1, new() { Timeout = 10_000 });
        await Expect(page.GetByTestId("reply-count")).ToHaveTextAsync(new Regex("^2,?003 replies$"));

        await watch.AssertStaysConnectedAsync(QuietPeriod);
        var later = await poster.ReplyAsync(thread.Id, "Still live after a quiet spell.");
        await Expect(page.Locator($"#reply-{later.Id}")).ToContainTextAsync("Still live after a quiet spell.", WithinTenSeconds);
        watch.AssertNoCircuitProblems();
    }

    /// <summary>The id of a reply nested at least three deep (depth 3 is the fourth level) that the first screen shows.</summary>
    private static async Task<long> ReplyThreeDeepOnTheFirstScreenAsync(IPage page)
    {
        var id = await page.EvaluateAsync<long?>("""
            () => {
              const onScreen = el => { const r = el.getBoundingClientRect(); return r.top >= 0 && r.top < window.innerHeight - 40; };
              const deep = [...document.querySelectorAll('[data-testid=reply]')]
                .find(el => Number(el.dataset.depth) >= 3 && onScreen(el));
              return deep ? Number(deep.dataset.replyId) : null;
            }
            """);
        if (id is null)
        {
            var firstScreen = await page.EvaluateAsync<string>("""
                () => [...document.querySelectorAll('[data-testid=reply]')].slice(0, 12)
                  .map(el => `depth ${el.dataset.depth} at ${Math.round(el.getBoundingClientRect().top)} px`).join('; ')
                """);
            Assert.Fail($"No reply three levels deep is on the first screen ({await page.EvaluateAsync<int>("window.innerHeight")} px high): {firstScreen}");
        }

        await Expect(page.Locator($"#reply-{id}")).ToBeInViewportAsync();
        return id!.Value;
    }

    private async Task<IPage> NewPageAsync(int height = 1000)
    {
        var context = await browser.Browser.NewContextAsync(new()
        {
            BaseURL = _app.BaseAddress.ToString(),
            ViewportSize = new() { Width = 1280, Height = height },
        });
        _contexts.Add(context);
        return await context.NewPageAsync();
    }
}
