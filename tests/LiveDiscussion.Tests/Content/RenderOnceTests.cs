using System.Diagnostics.Metrics;
using System.Net.Http.Json;
using LiveDiscussion.Contracts;
using LiveDiscussion.TestSupport;
using LiveDiscussion.Web.Data;
using LiveDiscussion.Web.Features.Content;
using LiveDiscussion.Web.Features.Events;
using LiveDiscussion.Web.Features.Replies;
using Microsoft.EntityFrameworkCore;

namespace LiveDiscussion.Tests.Content;

/// <summary>
/// Bodies are rendered when they are written and served as stored: reading a thread through the API, the event
/// catch-up and the export renders nothing, as the app's own render counter (livediscussion.bodies.rendered) shows.
/// </summary>
public sealed class RenderOnceTests : IClassFixture<EmptyApp>, IDisposable
{
    private const int StoredReplies = 300;
    private const int RepliesWithoutHtml = 60;
    private const int RepliesFromOlderRules = 60;

    private readonly TestApp _app;
    private readonly MeterListener _listener = new();
    private long _rendered;

    public RenderOnceTests(EmptyApp app)
    {
        _app = app;
        // Only this app's meter: other test classes run their own apps in this process at the same time.
        var meters = _app.Service<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Scope == meters && instrument.Name == BodyRenderer.RenderedCounterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _rendered, value));
        _listener.Start();
    }

    public void Dispose() => _listener.Dispose();

    private async Task<long> RendersDuring(Func<Task> action)
    {
        var before = Interlocked.Read(ref _rendered);
        await action();
        return Interlocked.Read(ref _rendered) - before;
    }

    [Fact]
    public async Task Reads_of_a_long_thread_render_nothing_once_bodies_are_stored_and_a_post_and_an_edit_render_once_each()
    {
        using var admin = await _app.AdminAsync();
        using var julia = await _app.MemberAsync("julia");
        using var reader = _app.Anonymous();
        ThreadDetailDto thread = null!;
        Assert.Equal(1, await RendersDuring(async () => thread = await admin.StartThreadAsync("Long", "The **post**.")));
        await SeedRepliesAsync(thread.Id);

        // The post and 120 replies have no HTML under today's rules: the first read renders each of them once.
        ThreadDetailDto first = null!;
        Assert.Equal(1 + RepliesWithoutHtml + RepliesFromOlderRules,
            await RendersDuring(async () => first = await reader.GetThreadAsync(thread.Id)));
        Assert.Equal(StoredReplies + RepliesWithoutHtml + RepliesFromOlderRules, first.Replies.Count);
        Assert.Equal("<p>The <strong>post</strong>.</p>\n", first.BodyHtml);
        Assert.All(first.Replies, reply => Assert.Equal($"<p>Reply <em>{reply.Body[6..].Trim('*')}</em></p>\n", reply.BodyHtml));
        Assert.DoesNotContain(first.Replies, reply => reply.BodyHtml.Contains("older rules"));
        await WaitUntilAllHtmlIsCurrentAsync(thread.Id);

        // Then every read path serves what is stored.
        Assert.Equal(0, await RendersDuring(() => ReadEverywhereAsync(reader, thread.Id, times: 3)));

        ReplyDto posted = null!;
        Assert.Equal(1, await RendersDuring(async () => posted = await julia.ReplyAsync(thread.Id, "A *new* one.")));
        Assert.Equal(0, await RendersDuring(() => ReadEverywhereAsync(reader, thread.Id, times: 3)));

        Assert.Equal(1, await RendersDuring(async () =>
            (await julia.PutAsJsonAsync($"/api/replies/{posted.Id}", new EditReplyRequest("An *edited* one.")))
                .EnsureSuccessStatusCode()));
        Assert.Equal(0, await RendersDuring(() => ReadEverywhereAsync(reader, thread.Id, times: 3)));
        Assert.Equal("<p>An <em>edited</em> one.</p>\n",
            (await reader.GetThreadAsync(thread.Id)).Replies.Single(r => r.Id == posted.Id).BodyHtml);
    }

    [Fact]
    public async Task An_edit_changes_the_html_every_read_path_serves()
    {
        using var julia = await _app.MemberAsync("julia");
        using var reader = _app.Anonymous();
        var thread = await julia.StartThreadAsync("Edited", "A post.");
        var reply = await julia.ReplyAsync(thread.Id, "Before **the edit**.");
        await ReadEverywhereAsync(reader, thread.Id, times: 2);

        (await julia.PutAsJsonAsync($"/api/replies/{reply.Id}", new EditReplyRequest("After *the edit*.")))
            .EnsureSuccessStatusCode();

        const string edited = "<p>After <em>the edit</em>.</p>\n";
        Assert.Equal(edited, (await reader.GetThreadAsync(thread.Id)).Replies.Single().BodyHtml);
        var events = await reader.EventsAfterAsync(thread.Id, 0);
        Assert.All(events.Events, e => Assert.Equal(edited, e.Reply!.BodyHtml));
        var export = await reader.GetStringAsync($"/api/threads/{thread.Id}/export");
        Assert.Contains("After <em>the edit</em>.", export);
        Assert.DoesNotContain("Before", export);
    }

    [Fact]
    public async Task An_imported_post_and_its_comments_are_rendered_by_the_import_and_reading_them_renders_nothing()
    {
        using var admin = await _app.AdminAsync();
        using var reader = _app.Anonymous();
        var wxr = await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "Import", "Fixtures", "wordpress-new-media-activism.wxr"));
        (await admin.PostAsync("/api/import/wordpress", new ByteArrayContent(wxr))).EnsureSuccessStatusCode();
        var threadId = (await reader.ListThreadsAsync()).Single(t => t.Title == "Is new media activism an illusion of new solidarity?").Id;

        Assert.Equal(0, await RendersDuring(() => ReadEverywhereAsync(reader, threadId, times: 2)));
        var detail = await reader.GetThreadAsync(threadId);
        Assert.Contains("<p>", detail.BodyHtml);
        Assert.NotEmpty(detail.Replies);
        Assert.All(detail.Replies, reply => Assert.StartsWith("<p>", reply.BodyHtml));
    }

    /// <summary>
    /// Replies written straight into the database: most with HTML stored under today's rules, some with none (rows
    /// from before the column) and some with HTML from older rules that must not be served. Each has its event.
    /// </summary>
    private async Task SeedRepliesAsync(long threadId)
    {
        var renderer = _app.Service<BodyRenderer>();
        await using var db = await _app.Service<IDbContextFactory<DiscussionDbContext>>().CreateDbContextAsync();
        var thread = await db.Threads.SingleAsync(t => t.Id == threadId);
        thread.BodyHtml = null;
        thread.BodyHtmlRules = null;
        var start = thread.CreatedAt;
        var replies = Enumerable.Range(0, StoredReplies + RepliesWithoutHtml + RepliesFromOlderRules).Select(i => new Reply
        {
            ThreadId = threadId,
            AuthorName = $"Writer {i % 7}",
            Body = $"Reply *{i}*",
            BodyFormat = BodyFormat.Markdown,
            CreatedAt = start.AddSeconds(i + 1),
            State = ReplyState.Visible,
        }).ToList();
        for (var i = 0; i < replies.Count; i++)
        {
            if (i < StoredReplies)
            {
                renderer.Render(replies[i]);
            }
            else if (i >= StoredReplies + RepliesWithoutHtml)
            {
                replies[i].BodyHtml = "<p>Rendered under older rules</p>";
                replies[i].BodyHtmlRules = BodyRenderer.RulesVersion - 1;
            }
        }

        db.Replies.AddRange(replies);
        await db.SaveChangesAsync();
        foreach (var reply in replies)
        {
            db.ThreadEvents.Add(new ThreadEvent
            {
                ThreadId = threadId, Seq = ++thread.LatestSeq, Type = ThreadEventTypes.ReplyPosted, ReplyId = reply.Id, At = reply.CreatedAt,
            });
        }

        thread.LastActivityAt = replies[^1].CreatedAt;
        await db.SaveChangesAsync();
    }

    /// <summary>HTML rendered on read is stored off the reader's path; this waits for it to land.</summary>
    private async Task WaitUntilAllHtmlIsCurrentAsync(long threadId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            await using var db = await _app.Service<IDbContextFactory<DiscussionDbContext>>().CreateDbContextAsync();
            var stale = await db.Replies.CountAsync(r => r.ThreadId == threadId && (r.BodyHtml == null || r.BodyHtmlRules != BodyRenderer.RulesVersion))
                + await db.Threads.CountAsync(t => t.Id == threadId && (t.BodyHtml == null || t.BodyHtmlRules != BodyRenderer.RulesVersion));
            if (stale == 0)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{stale} bodies rendered on read were not stored");
            await Task.Delay(50);
        }
    }

    private static async Task ReadEverywhereAsync(HttpClient reader, long threadId, int times)
    {
        for (var i = 0; i < times; i++)
        {
            var detail = await reader.GetThreadAsync(threadId);
            Assert.NotEmpty(detail.BodyHtml);
            var events = await reader.EventsAfterAsync(threadId, 0);
            Assert.False(events.Truncated);
            Assert.All(events.Events.Where(e => e.Reply is not null), e => Assert.NotEmpty(e.Reply!.BodyHtml));
            var export = await reader.GetStringAsync($"/api/threads/{threadId}/export");
            Assert.Contains("<wp:comment>", export);
        }
    }
}
