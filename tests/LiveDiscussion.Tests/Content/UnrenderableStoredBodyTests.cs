using System.Net;
using System.Net.Http.Json;
using LiveDiscussion.Contracts;
using LiveDiscussion.TestSupport;
using LiveDiscussion.Web.Data;
using LiveDiscussion.Web.Features.Content;
using LiveDiscussion.Web.Features.Events;
using LiveDiscussion.Web.Features.Replies;
using LiveDiscussion.Web.Features.Threads;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace LiveDiscussion.Tests.Content;

/// <summary>
/// A thread and a reply stored before bodies were checked on write (or imported), whose Markdown Markdig cannot render,
/// are shown as escaped plain text: the thread's API, page, catch-up and export answer for everyone, and moderators
/// can act on them.
/// </summary>
public sealed class UnrenderableStoredBodyTests(EmptyApp app) : IClassFixture<EmptyApp>
{
    /// <summary>10,000 characters of list markers, each list inside the one before: past Markdig's depth limit.</summary>
    private static readonly string NestedLists = string.Concat(Enumerable.Repeat("- ", 4_998)) + "deep";

    private const string PostText = "Read <b>this</b> & <script>alert('post')</script>";
    private const string ReplyText = "Me too <img src=x onerror=alert('reply')>";

    [Fact]
    public void The_renderer_cannot_render_the_nested_lists()
    {
        Assert.Null(new BodyRenderer().TryToHtml(NestedLists, BodyFormat.Markdown));
    }

    [Fact]
    public async Task The_thread_api_page_catch_up_and_export_answer_with_the_text_escaped_and_moderators_can_act()
    {
        var (threadId, slug, replyId) = await StoreStraightAsync($"{PostText}\n\n{NestedLists}", $"{ReplyText}\n\n{NestedLists}");
        using var reader = app.Anonymous();

        var thread = await reader.GetThreadAsync(threadId);
        Assert.StartsWith("<p>Read &lt;b&gt;this&lt;/b&gt; &amp; &lt;script&gt;alert(&#39;post&#39;)&lt;/script&gt;</p>", thread.BodyHtml);
        Assert.Contains("<p>- - - - ", thread.BodyHtml);
        var reply = Assert.Single(thread.Replies);
        Assert.StartsWith("<p>Me too &lt;img src=x onerror=alert(&#39;reply&#39;)&gt;</p>", reply.BodyHtml);
        AssertHarmless(thread.BodyHtml + reply.BodyHtml);

        var page = await reader.GetAsync($"/t/{threadId}/{slug}");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("Read &lt;b&gt;this&lt;/b&gt; &amp; &lt;script&gt;alert(&#39;post&#39;)&lt;/script&gt;", html);
        Assert.Contains("Me too &lt;img src=x onerror=alert(&#39;reply&#39;)&gt;", html);
        AssertHarmless(html);

        var caughtUp = await reader.EventsAfterAsync(threadId, 0);
        Assert.Equal(reply.BodyHtml, Assert.Single(caughtUp.Events).Reply!.BodyHtml);

        var export = await reader.GetAsync($"/api/threads/{threadId}/export");
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        var wxr = await export.Content.ReadAsStringAsync();
        Assert.Contains("<![CDATA[<p>Read &lt;b&gt;this&lt;/b&gt; &amp; &lt;script&gt;", wxr);
        Assert.Contains("<![CDATA[<p>Me too &lt;img src=x onerror=alert(&#39;reply&#39;)&gt;</p>", wxr);

        // Rendered once: the plain-text rendering is stored like any other, so later reads neither fail nor try again.
        await WaitUntilStoredAsync(threadId);

        using var admin = await app.AdminAsync();
        (await admin.PostAsJsonAsync($"/api/replies/{replyId}/hide", new HideReplyRequest("Unreadable"), Api.Json)).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync($"/api/threads/{threadId}/close", new CloseThreadRequest("Unreadable post"), Api.Json)).EnsureSuccessStatusCode();
        var moderated = await reader.GetThreadAsync(threadId);
        Assert.Equal((ThreadState.Closed, ReplyState.Hidden, ""), (moderated.State, moderated.Replies.Single().State, moderated.Replies.Single().BodyHtml));
    }

    [Fact]
    public void A_body_that_cannot_be_rendered_is_logged_once_as_a_warning_and_shown_as_escaped_paragraphs()
    {
        var logger = new WarningCounter();
        var renderer = new BodyRenderer(logger: logger);
        var row = new Reply { Id = 7, AuthorName = "Old guest", Body = $"One <i>line</i>\nand the next\n\n{NestedLists}", BodyFormat = BodyFormat.Markdown };

        var first = renderer.HtmlOf(row);
        var second = renderer.HtmlOf(row);

        Assert.StartsWith("<p>One &lt;i&gt;line&lt;/i&gt;<br />\nand the next</p>\n<p>- - - ", first);
        Assert.Equal(first, second);
        Assert.Equal(BodyRenderer.RulesVersion, row.BodyHtmlRules);
        Assert.Equal(1, logger.Warnings);
    }

    private static void AssertHarmless(string html)
    {
        Assert.DoesNotContain("<script>alert", html);
        Assert.DoesNotContain("<img src=x", html);
        Assert.DoesNotContain("<b>this</b>", html);
    }

    /// <summary>
    /// A thread by a guest and one reply, with no HTML stored, as rows from before the write-time check or an import
    /// leave them; the reply has its <c>reply-posted</c> event.
    /// </summary>
    private async Task<(long ThreadId, string Slug, long ReplyId)> StoreStraightAsync(string postBody, string replyBody)
    {
        await using var db = await app.Service<IDbContextFactory<DiscussionDbContext>>().CreateDbContextAsync();
        var at = DateTimeOffset.UtcNow.AddDays(-30);
        var thread = new DiscussionThread
        {
            Title = "Stored before the check",
            Slug = Slug.From("Stored before the check"),
            Body = postBody,
            BodyFormat = BodyFormat.Markdown,
            AuthorName = "Old guest",
            CreatedAt = at,
            LastActivityAt = at.AddMinutes(1),
            State = ThreadState.Open,
        };
        db.Threads.Add(thread);
        await db.SaveChangesAsync();
        var reply = new Reply
        {
            ThreadId = thread.Id,
            AuthorName = "Another guest",
            Body = replyBody,
            BodyFormat = BodyFormat.Markdown,
            CreatedAt = at.AddMinutes(1),
            State = ReplyState.Visible,
        };
        db.Replies.Add(reply);
        await db.SaveChangesAsync();
        db.ThreadEvents.Add(new ThreadEvent
        {
            ThreadId = thread.Id, Seq = ++thread.LatestSeq, Type = ThreadEventTypes.ReplyPosted, ReplyId = reply.Id, At = reply.CreatedAt,
        });
        await db.SaveChangesAsync();
        return (thread.Id, thread.Slug, reply.Id);
    }

    private async Task WaitUntilStoredAsync(long threadId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            await using var db = await app.Service<IDbContextFactory<DiscussionDbContext>>().CreateDbContextAsync();
            var post = await db.Threads.SingleAsync(t => t.Id == threadId);
            var reply = await db.Replies.SingleAsync(r => r.ThreadId == threadId);
            if (post.BodyHtmlRules == BodyRenderer.RulesVersion && reply.BodyHtmlRules == BodyRenderer.RulesVersion)
            {
                Assert.StartsWith("<p>Read &lt;b&gt;", post.BodyHtml);
                Assert.StartsWith("<p>Me too &lt;img", reply.BodyHtml);
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, "the plain-text rendering was not stored");
            await Task.Delay(50);
        }
    }

    private sealed class WarningCounter : ILogger<BodyRenderer>
    {
        public int Warnings { get; private set; }

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == LogLevel.Warning)
            {
                Warnings++;
            }
        }
    }
}
