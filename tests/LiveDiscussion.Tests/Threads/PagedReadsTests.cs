using System.Net;
using System.Net.Http.Json;
using LiveDiscussion.Contracts;
using LiveDiscussion.TestSupport;

namespace LiveDiscussion.Tests.Threads;

/// <summary>The thread list and a 2,000-reply thread read a page at a time, as a client walks them.</summary>
public sealed class PagedReadsTests(PagedReadsTests.AppWithBigThread shared) : IClassFixture<PagedReadsTests.AppWithBigThread>
{
    private readonly TestApp _app = shared.App;
    private readonly GeneratedThread _big = shared.Big;

    /// <summary>An app holding a 2,000-reply thread, written once for the tests of the class, which only read it.</summary>
    public sealed class AppWithBigThread : IAsyncLifetime
    {
        public TestApp App { get; } = new(seedDemo: false);

        public GeneratedThread Big { get; private set; } = default!;

        public async Task InitializeAsync() => Big = await BigThread.WriteAsync(App, BigThreadShape.TwoThousandReplies);

        public Task DisposeAsync()
        {
            App.Dispose();
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task A_thread_of_2000_replies_reads_its_first_500_in_tree_order_and_says_more_follow()
    {
        using var reader = _app.Anonymous();

        var thread = await reader.GetThreadAsync(_big.Id);

        Assert.Equal(2_000, thread.ReplyCount);
        Assert.Equal(Limits.RepliesPageMax, thread.Replies.Count);
        Assert.Equal(_big.TreeOrder().Take(500), thread.Replies.Select(r => r.Id));
        Assert.True(thread.HasMoreReplies);
        Assert.Equal(thread.Replies[^1].Id, thread.NextRepliesAfter);
    }

    [Fact]
    public async Task Following_the_next_links_reads_every_reply_once_in_tree_order()
    {
        using var reader = _app.Anonymous();
        var read = new List<long>();
        string? next = $"/api/threads/{_big.Id}/replies?limit=300";
        var pages = 0;

        while (next is not null)
        {
            var response = await reader.GetAsync(next);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var page = await response.ReadAsync<RepliesPageDto>();
            Assert.InRange(page.Replies.Count, 1, 300);
            read.AddRange(page.Replies.Select(r => r.Id));
            next = NextLink(response);
            Assert.Equal(page.HasMore, next is not null);
            Assert.Equal(page.HasMore ? page.Replies[^1].Id : null, page.NextAfter);
            pages++;
        }

        Assert.Equal(7, pages);
        Assert.Equal(_big.TreeOrder(), read);
    }

    [Fact]
    public async Task A_small_thread_reads_whole_with_no_more_to_follow()
    {
        using var member = await _app.MemberAsync();
        var thread = await member.StartThreadAsync("Small");
        var first = await member.ReplyAsync(thread.Id, "first");
        await member.ReplyAsync(thread.Id, "answer", first.Id);

        var read = await member.GetThreadAsync(thread.Id);
        var page = await (await member.GetAsync($"/api/threads/{thread.Id}/replies")).ReadAsync<RepliesPageDto>();

        Assert.False(read.HasMoreReplies);
        Assert.Null(read.NextRepliesAfter);
        Assert.Equal(2, read.Replies.Count);
        Assert.Equal(read.Replies.Select(r => r.Id), page.Replies.Select(r => r.Id));
        Assert.False(page.HasMore);
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=501", "limit")]
    [InlineData("limit=many", "limit")]
    [InlineData("after=abc", "after")]
    [InlineData("after=999999999", "after")]
    public async Task A_limit_out_of_range_or_a_cursor_that_is_not_one_is_a_400_naming_the_parameter(string query, string parameter)
    {
        using var reader = _app.Anonymous();

        var response = await reader.GetAsync($"/api/threads/{_big.Id}/replies?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(parameter, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_replies_of_a_thread_that_does_not_exist_are_a_404()
    {
        using var reader = _app.Anonymous();

        var response = await reader.GetAsync("/api/threads/987654/replies");

        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound, "Thread not found");
    }

    [Fact]
    public async Task The_thread_list_walks_in_pages_newest_activity_first_and_a_thread_that_moves_up_is_not_read_twice()
    {
        // An app of its own, holding the big thread alone: the test reads the whole thread list, which others add to.
        using var ownApp = new TestApp(seedDemo: false);
        var big = await BigThread.WriteAsync(ownApp, BigThreadShape.TwoThousandReplies);
        using var member = await ownApp.MemberAsync();
        var started = new List<ThreadDetailDto>();
        for (var i = 0; i < 7; i++)
        {
            started.Add(await member.StartThreadAsync($"Thread {i}"));
        }

        var firstResponse = await member.GetAsync("/api/threads?limit=3");
        var first = await firstResponse.ReadAsync<List<ThreadSummaryDto>>();
        // Activity in a thread of a later page while the client reads: it moves to the top, behind the cursor.
        await member.ReplyAsync(started[1].Id, "bump");
        var read = first.Select(t => t.Title).ToList();
        var next = NextLink(firstResponse);
        while (next is not null)
        {
            var response = await member.GetAsync(next);
            read.AddRange((await response.ReadAsync<List<ThreadSummaryDto>>()).Select(t => t.Title));
            next = NextLink(response);
        }

        Assert.Equal(["Thread 6", "Thread 5", "Thread 4", "Thread 3", "Thread 2", "Thread 0", big.Title], read);
        var fresh = await member.ListThreadsAsync();
        Assert.Equal("Thread 1", fresh[0].Title);
    }

    [Fact]
    public async Task The_thread_list_gives_50_by_default_with_a_next_link()
    {
        // An app of its own, holding the big thread alone: the test reads the whole thread list, which others add to.
        using var ownApp = new TestApp(seedDemo: false);
        await BigThread.WriteAsync(ownApp, BigThreadShape.TwoThousandReplies);
        using var member = await ownApp.MemberAsync();
        for (var i = 0; i < 51; i++)
        {
            await member.StartThreadAsync($"Thread {i}");
        }

        var response = await member.GetAsync("/api/threads");
        var threads = await response.ReadAsync<List<ThreadSummaryDto>>();

        Assert.Equal(50, threads.Count);
        Assert.Matches("^</api/threads\\?limit=50&before=[01]\\.[0-9]+\\.[0-9]+>; rel=\"next\"$", response.Headers.GetValues("Link").Single());
        var rest = await (await member.GetAsync(NextLink(response)!)).ReadAsync<List<ThreadSummaryDto>>();
        Assert.Equal(2, rest.Count);
        Assert.Empty(threads.Select(t => t.Id).Intersect(rest.Select(t => t.Id)));
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=201", "limit")]
    [InlineData("before=yesterday", "before")]
    [InlineData("before=2.5.5", "before")]
    public async Task The_thread_list_refuses_a_bad_limit_or_cursor_naming_it(string query, string parameter)
    {
        using var reader = _app.Anonymous();

        var response = await reader.GetAsync($"/api/threads?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(parameter, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_export_still_carries_every_reply()
    {
        using var admin = await _app.AdminAsync();

        var export = await admin.GetStringAsync($"/api/threads/{_big.Id}/export");

        Assert.Equal(2_000, System.Text.RegularExpressions.Regex.Matches(export, "<wp:comment>").Count);
    }

    private static string? NextLink(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Link", out var links)
            ? System.Text.RegularExpressions.Regex.Match(links.Single(), "^<([^>]+)>; rel=\"next\"$").Groups[1].Value
            : null;
}
