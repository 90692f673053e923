using System.Text;
using LiveDiscussion.Contracts;
using LiveDiscussion.Tests.Realtime;
using LiveDiscussion.TestSupport;
using LiveDiscussion.Web.Features.Import;

namespace LiveDiscussion.Tests.Import;

/// <summary>
/// Comments a later import adds to a thread people are watching are new replies like any other: they arrive live to a
/// hub client and in its catch-up, under the thread's next seqs. Each test imports an export of its own site, so the
/// class shares one app.
/// </summary>
public sealed class LiveImportTests(EmptyApp app) : IClassFixture<EmptyApp>, IAsyncLifetime
{
    private readonly string _site = $"live-{Guid.NewGuid():N}";
    private HubWatcher _watcher = default!;

    public async Task InitializeAsync() => _watcher = await HubWatcher.ConnectAsync(app);

    public async Task DisposeAsync() => await _watcher.DisposeAsync();

    [Fact]
    public async Task Comments_a_reimport_adds_to_a_watched_thread_arrive_live_and_in_catch_up_under_the_next_seqs()
    {
        using var admin = await app.AdminAsync();
        using var member = await app.MemberAsync();
        var first = await ImportAsync(admin, Comment(1, 0, "First"), Comment(2, 1, "Second"));
        Assert.Equal((1, 2), (first.ThreadsImported, first.RepliesImported));
        var thread = (await admin.ListThreadsAsync()).Single(t => t.Title == Title);

        // A thread the import makes anew starts its log empty, and its seq agrees.
        Assert.Equal(0, (await member.GetThreadAsync(thread.Id)).LatestSeq);
        Assert.Empty((await member.EventsAfterAsync(thread.Id, 0)).Events);

        var posted = await member.ReplyAsync(thread.Id, "Posted here");
        await _watcher.FollowAsync(thread.Id);
        Assert.Equal([1L], _watcher.Applied);

        var second = await ImportAsync(admin,
            Comment(1, 0, "First"), Comment(2, 1, "Second"), Comment(3, 2, "Third"), Comment(4, 0, "Fourth"),
            Comment(5, 0, "Held", approved: "0"));
        Assert.Equal((0, 1, 3, 1), (second.ThreadsImported, second.ThreadsUpdated, second.RepliesImported, second.RepliesHeld));

        // Live, in the order they were written (an answer to a stored comment needs nothing before it).
        await HubWatcher.EventuallyAsync(() => _watcher.Events.Count >= 2, "the imported replies, live");
        var live = _watcher.Events.OrderBy(e => e.Seq).ToList();
        Assert.Equal([2L, 3], live.Select(e => e.Seq));
        Assert.All(live, e => Assert.Equal(ThreadEventTypes.ReplyPosted, e.Type));
        Assert.Equal(["<p>Third</p>", "<p>Fourth</p>"], live.Select(e => e.Reply!.Body));
        await HubWatcher.EventuallyAsync(() => _watcher.Applied.Count == 3, "the imported replies applied");
        Assert.Equal([1L, 2, 3], _watcher.Applied);

        // Catch-up: the hub's and the API's, with consecutive seqs and the replies as stored.
        var stored = await member.GetThreadAsync(thread.Id);
        Assert.Equal(3, stored.LatestSeq);
        var fromHub = await _watcher.WatchAsync(thread.Id, 1);
        Assert.Equal(live.Select(e => e.Reply!.Id), fromHub.Events.Select(e => e.Reply!.Id));
        var fromApi = await member.EventsAfterAsync(thread.Id, 0);
        Assert.Equal([1L, 2, 3], fromApi.Events.Select(e => e.Seq));
        Assert.Equal(posted.Id, fromApi.Events[0].Reply!.Id);
        var third = stored.Replies.Single(r => r.Body == "<p>Third</p>");
        Assert.Equal(stored.Replies.Single(r => r.Body == "<p>Second</p>").Id, third.ParentReplyId);
        Assert.Equal(third.Id, fromApi.Events[1].Reply!.Id);
        Assert.DoesNotContain(fromApi.Events, e => e.Reply!.Body == "<p>Held</p>");

        // The same file again stores nothing and tells nobody anything: the next reply takes the very next seq.
        var again = await ImportAsync(admin,
            Comment(1, 0, "First"), Comment(2, 1, "Second"), Comment(3, 2, "Third"), Comment(4, 0, "Fourth"),
            Comment(5, 0, "Held", approved: "0"));
        Assert.Equal((0, 0, 1), (again.ThreadsUpdated, again.RepliesImported, again.Skipped("unchanged post")));
        Assert.Equal(3, (await member.EventsAfterAsync(thread.Id, 0)).LatestSeq);
        var next = await member.ReplyAsync(thread.Id, "After the re-import");
        await HubWatcher.EventuallyAsync(() => _watcher.Applied.Count == 4, "the reply after the re-import");
        Assert.Equal([2L, 3, 4], _watcher.Events.Select(e => e.Seq).Order());
        Assert.Equal(next.Id, _watcher.Events.Single(e => e.Seq == 4).Reply!.Id);
    }

    private string Title => $"Imported while watched ({_site})";

    private async Task<ImportReport> ImportAsync(HttpClient admin, params string[] comments)
    {
        var export = $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wp="http://wordpress.org/export/1.2/">
            <channel><wp:base_site_url>https://{_site}.example</wp:base_site_url>
            <item><title>{Title}</title><content:encoded><![CDATA[<p>A post.</p>]]></content:encoded><wp:post_id>1</wp:post_id>
            <wp:post_date_gmt>2020-01-01 00:00:00</wp:post_date_gmt><wp:status>publish</wp:status><wp:post_type>post</wp:post_type>
            {string.Concat(comments)}
            </item></channel></rss>
            """;
        return await (await admin.PostAsync("/api/import/wordpress", new ByteArrayContent(Encoding.UTF8.GetBytes(export))))
            .ReadAsync<ImportReport>();
    }

    private static string Comment(int id, int parent, string text, string approved = "1") =>
        $"<wp:comment><wp:comment_id>{id}</wp:comment_id><wp:comment_author>Guest {id}</wp:comment_author>" +
        $"<wp:comment_date_gmt>2020-01-0{id + 1} 00:00:00</wp:comment_date_gmt><wp:comment_content><![CDATA[<p>{text}</p>]]></wp:comment_content>" +
        $"<wp:comment_approved>{approved}</wp:comment_approved><wp:comment_parent>{parent}</wp:comment_parent></wp:comment>";
}
