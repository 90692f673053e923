using System.Net;
using LiveDiscussion.Contracts;
using LiveDiscussion.TestSupport;

namespace LiveDiscussion.Tests.Import;

/// <summary>What a new site starts with. Its tests only read, so the demo database they share stays as it was seeded.</summary>
public sealed class DemoContentTests(DemoApp app) : IClassFixture<DemoApp>
{
    [Fact]
    public async Task An_empty_database_starts_with_the_wordpress_thread_closed_with_its_eight_replies()
    {
        using var client = app.Anonymous();

        var summary = Assert.Single(await client.ListThreadsAsync());
        Assert.Equal("Is new media activism an illusion of new solidarity?", summary.Title);
        Assert.Equal(ThreadState.Closed, summary.State);
        Assert.Equal(8, summary.ReplyCount);

        var thread = await client.GetThreadAsync(summary.Id);
        Assert.Equal("Julia", thread.Author.Name);
        Assert.Contains("<blockquote><strong>Solidarity</strong>", thread.BodyHtml);
        Assert.Equal("Comments are closed.", thread.CloseReason);
    }

    [Fact]
    public async Task The_demo_replies_keep_the_files_tree_four_deep_with_the_authors_badge_on_julias_answers()
    {
        using var client = app.Anonymous();
        var thread = await client.GetThreadAsync((await client.ListThreadsAsync()).Single().Id);

        var depthById = new Dictionary<long, int>();
        foreach (var reply in thread.Replies)
        {
            depthById[reply.Id] = reply.ParentReplyId is { } parent ? depthById[parent] + 1 : 0;
        }

        Assert.Equal(
            ["Goda", "Julia", "Louise", "Julia", "Louise", "Julia", "Carl", "Julia"],
            thread.Replies.Select(r => r.Author.Name));
        Assert.Equal([0, 1, 0, 1, 2, 3, 0, 1], thread.Replies.Select(r => depthById[r.Id]));
        Assert.All(thread.Replies, r => Assert.Equal(r.Author.Name == "Julia", r.IsByThreadAuthor));
        Assert.StartsWith("<p>Hey Julia,</p>", thread.Replies[0].BodyHtml);
        Assert.DoesNotContain(thread.Replies, r => r.BodyHtml.Contains("Introduction: new media"));
    }

    [Fact]
    public async Task Restarting_on_the_same_database_does_not_import_the_demo_twice()
    {
        // An app of its own: the test restarts it.
        using var restarted = new TestApp(seedDemo: true).Restart();

        using var client = restarted.Anonymous();
        Assert.Single(await client.ListThreadsAsync());
    }

    [Fact]
    public async Task The_sites_own_stylesheet_logo_and_favicon_are_served()
    {
        using var client = app.Anonymous();

        foreach (var (path, type) in new[] { ("/site.css", "text/css"), ("/logo.svg", "image/svg+xml"), ("/favicon.svg", "image/svg+xml") })
        {
            var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(type, response.Content.Headers.ContentType?.MediaType);
        }

        Assert.Contains("--reply-indent", await client.GetStringAsync("/site.css"));
    }

    [Fact]
    public async Task The_openapi_document_describes_the_threads_api()
    {
        using var client = app.Anonymous();

        var document = await client.GetStringAsync("/openapi/v1.json");

        Assert.Contains("\"/api/threads/{id}/replies\"", document);
        Assert.Contains("\"/api/threads/{id}/events\"", document);
        Assert.Contains("\"/api/auth/login\"", document);
    }
}
