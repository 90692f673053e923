using System.Net.Http.Json;
using LiveDiscussion.BrowserTests.Infrastructure;
using LiveDiscussion.Contracts;
using LiveDiscussion.TestSupport;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveDiscussion.BrowserTests;

/// <summary>Pages on one node of a two-node cluster (real processes and a real redis-server), and that node dying.</summary>
[Collection(BrowserCollection.Name)]
public sealed class TwoNodeTests(BrowserFixture browser) : IAsyncLifetime
{
    private Cluster _cluster = null!;
    private IBrowserContext _context = null!;

    public async Task InitializeAsync()
    {
        _cluster = await Cluster.StartAsync();
        _context = await browser.Browser.NewContextAsync(new() { BaseURL = _cluster.B.BaseAddress.ToString() });
    }

    public async Task DisposeAsync()
    {
        await _context.DisposeAsync();
        await _cluster.DisposeAsync();
    }

    [Fact]
    public async Task A_writer_on_node_B_sees_a_reply_from_A_live_and_their_composer_closes_at_once_when_A_closes_the_thread()
    {
        using var julia = await _cluster.A.MemberAsync("julia");
        var thread = await julia.StartThreadAsync("Across nodes", "Which node are you on?");
        var (page, draft) = await WriterOnBAsync(thread, "Node B here, and still typing");

        await julia.ReplyAsync(thread.Id, "Node A here");
        await Expect(page.GetByTestId("reply-body").Filter(new() { HasText = "Node A here" })).ToBeVisibleAsync(new() { Timeout = 5000 });

        using var admin = await _cluster.A.AdminAsync();
        (await admin.PostAsJsonAsync($"/api/threads/{thread.Id}/close", new { reason = "Closed from node A" })).EnsureSuccessStatusCode();

        await Expect(page.GetByTestId("composer-closed")).ToContainTextAsync("Closed from node A", new() { Timeout = 5000 });
        await Expect(draft).ToHaveValueAsync("Node B here, and still typing");
        await Expect(page.GetByTestId("composer-send")).ToBeDisabledAsync();
    }

    [Fact]
    public async Task Words_typed_on_a_node_that_dies_are_back_in_their_composer_when_the_page_loads_again_and_send_once()
    {
        using var julia = await _cluster.A.MemberAsync("julia");
        var thread = await julia.StartThreadAsync("Crash course", "What happens when a server dies?");
        var (page, typing) = await WriterOnBAsync(thread, "Half a thought before the crash");
        // The browser keeps the words from the moment the composer is live.
        await Expect(typing).ToHaveAttributeAsync("data-draft-key", $"t{thread.Id}:post");

        // The server dies with the words only in its memory and in the browser; the page cannot resume its circuit.
        await _cluster.B.KillAsync();
        await _cluster.B.StartAgainAsync();

        await page.GotoInteractiveAsync($"/t/{thread.Id}/{thread.Slug}");
        var draft = page.GetByTestId("composer").GetByRole(AriaRole.Textbox);
        await Expect(draft).ToHaveValueAsync("Half a thought before the crash");
        await page.GetByTestId("composer-send").ClickAsync();
        await Expect(page.GetByTestId("reply-body").Filter(new() { HasText = "Half a thought before the crash" })).ToHaveCountAsync(1);

        await page.GotoInteractiveAsync($"/t/{thread.Id}/{thread.Slug}");
        await Expect(page.GetByTestId("composer")).ToHaveCountAsync(0);
        Assert.Single((await julia.GetThreadAsync(thread.Id)).Replies);
    }

    [Fact]
    public async Task While_Redis_is_down_a_reader_on_B_is_told_live_updates_are_paused_sees_what_B_stores_and_gets_what_was_posted_on_A_when_it_is_back()
    {
        using var julia = await _cluster.A.MemberAsync("julia");
        var thread = await julia.StartThreadAsync("Through an outage", "Stay with us.");
        var page = await _context.NewPageAsync();
        await page.GotoInteractiveAsync($"/t/{thread.Id}/{thread.Slug}");
        await Expect(page.GetByTestId("live-paused")).ToHaveCountAsync(0);

        await _cluster.Redis.StopAsync();
        await Expect(page.GetByTestId("live-paused")).ToContainTextAsync("Live updates are paused", new() { Timeout = 5000 });
        // What the reader's own node stores still reaches them at once, as it reaches that node's hub clients.
        using var louise = await _cluster.B.MemberAsync("louise");
        await louise.ReplyAsync(thread.Id, "Posted on B while Redis was down");
        await Expect(page.GetByTestId("reply-body").Filter(new() { HasText = "Posted on B while Redis was down" }))
            .ToBeVisibleAsync(new() { Timeout = 5000 });
        await julia.ReplyAsync(thread.Id, "Posted on A while Redis was down");
        await Expect(page.GetByTestId("reply-body").Filter(new() { HasText = "Posted on A while Redis was down" })).ToHaveCountAsync(0);
        await _cluster.Redis.StartAgainAsync();

        await Expect(page.GetByTestId("live-paused")).ToHaveCountAsync(0, new() { Timeout = 15000 });
        await Expect(page.GetByTestId("reply-body").Filter(new() { HasText = "Posted on A while Redis was down" }))
            .ToBeVisibleAsync(new() { Timeout = 5000 });
    }

    /// <summary>Louise, signed in on node B, answering the post of <paramref name="thread"/>, mid-sentence.</summary>
    private async Task<(IPage Page, ILocator Draft)> WriterOnBAsync(ThreadDetailDto thread, string words)
    {
        var page = await _context.NewPageAsync();
        await page.RegisterAsync(_cluster.B.BaseAddress, "Louise");
        await page.GotoInteractiveAsync($"/t/{thread.Id}/{thread.Slug}");
        await page.GetByTestId("reply-to-post").ClickAsync();
        var draft = page.GetByTestId("composer").GetByRole(AriaRole.Textbox);
        await draft.FillAsync(words);
        return (page, draft);
    }
}
