using System.Text;
using LiveDiscussion.Contracts;
using LiveDiscussion.TestSupport;
using LiveDiscussion.Web.Data;
using LiveDiscussion.Web.Features.Import;
using LiveDiscussion.Web.Features.Replies;
using LiveDiscussion.Web.Features.Threads;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LiveDiscussion.Tests.Import;

public sealed class WordPressImporterTests : IDisposable
{
    // An app for each test, not one for the class: the tests import the same files, and the importer knows a post by
    // its site and id, so a second import of a file updates what the first stored instead of storing it. Each test
    // asserts what one import into an empty database stores.
    private readonly TestApp _app = new(seedDemo: false);

    public void Dispose() => _app.Dispose();

    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Import", "Fixtures", name);

    private Task<ImportReport> ImportFileAsync(string name)
    {
        return ImportAsync(File.ReadAllText(Fixture(name)));
    }

    private async Task<ImportReport> ImportAsync(string wxr, bool seekable = true)
    {
        var bytes = Encoding.UTF8.GetBytes(wxr);
        await using Stream stream = seekable ? new MemoryStream(bytes) : new ForwardOnlyStream(bytes);
        return await _app.Service<WordPressImporter>().ImportAsync(stream);
    }

    private async Task<(List<DiscussionThread> Threads, List<Reply> Replies)> StoredAsync()
    {
        await using var db = await _app.Services.GetRequiredService<IDbContextFactory<DiscussionDbContext>>().CreateDbContextAsync();
        return (await db.Threads.AsNoTracking().ToListAsync(), await db.Replies.AsNoTracking().OrderBy(r => r.Id).ToListAsync());
    }

    private static Reply ByAuthor(List<Reply> replies, string name) => replies.Single(r => r.AuthorName == name);

    [Fact]
    public async Task The_demo_export_becomes_one_closed_thread_with_the_exact_eight_reply_tree_and_one_linked_from_entry()
    {
        var report = await ImportFileAsync("wordpress-new-media-activism.wxr");

        Assert.Equal((1, 0, 8, 0, 1), (report.ThreadsImported, report.ThreadsUpdated, report.RepliesImported, report.RepliesHeld, report.LinkedFrom));
        var (threads, replies) = await StoredAsync();
        var thread = Assert.Single(threads);
        Assert.Equal(ThreadState.Closed, thread.State);
        Assert.Equal(WordPressImporter.ClosedReason, thread.CloseReason);
        Assert.Equal("is-new-media-activism-an-illusion-of-new-solidarity", thread.Slug);

        var parentOf = replies.ToDictionary(r => r.SourceKey!.Split(':')[^1], r => r.ParentReplyId is { } p ? replies.Single(x => x.Id == p).SourceKey!.Split(':')[^1] : null);
        Assert.Equal(new Dictionary<string, string?>
        {
            ["101"] = null, ["102"] = "101", ["103"] = null, ["104"] = "103",
            ["105"] = "104", ["106"] = "105", ["107"] = null, ["108"] = "107",
        }, parentOf);
        Assert.All(replies.Where(r => r.AuthorName == "Julia"), r => Assert.Equal(thread.AuthorExternalKey, r.AuthorExternalKey));
        Assert.Equal(new DateTimeOffset(2017, 9, 23, 8, 58, 41, TimeSpan.Zero), thread.LastActivityAt);
    }

    [Fact]
    public async Task Every_comment_rule_is_applied_and_reported()
    {
        var report = await ImportFileAsync("rules.wxr");

        var (threads, replies) = await StoredAsync();
        var thread = Assert.Single(threads);
        Assert.True(thread.IsPinned);
        Assert.Equal(ThreadState.Open, thread.State);
        Assert.Equal("Rules & exceptions…", thread.Title);
        Assert.DoesNotContain("wp:", thread.Body);
        Assert.Contains("<p>Block editor paragraph.</p>", thread.Body);
        Assert.Contains("Quoted ]]> split.", thread.Body);

        // Out of order: the answer still hangs under the comment it answers.
        Assert.Equal(ByAuthor(replies, "Ada Admin").Id, ByAuthor(replies, "Answerer").ParentReplyId);
        Assert.Equal("<p>The author opens.</p>", ByAuthor(replies, "Ada Admin").Body);
        Assert.Equal(thread.AuthorExternalKey, ByAuthor(replies, "Ada Admin").AuthorExternalKey);

        // Missing parent, self-parent: top level, reported. Registered user shown by display name without the author's badge.
        var orphan = ByAuthor(replies, "Bob Editor");
        Assert.Null(orphan.ParentReplyId);
        Assert.NotEqual(thread.AuthorExternalKey, orphan.AuthorExternalKey);
        Assert.Contains(report.Lines, l => l.Contains("comment 203 answers comment 999"));
        Assert.Null(ByAuthor(replies, "Narcissus").ParentReplyId);
        Assert.Contains(report.Lines, l => l.Contains("comment 206 names itself"));

        // A loop of two: one goes to the top level, the other answers it.
        var (a, b) = (ByAuthor(replies, "Loop A"), ByAuthor(replies, "Loop B"));
        Assert.Null(a.ParentReplyId);
        Assert.Equal(a.Id, b.ParentReplyId);
        Assert.Contains(report.Lines, l => l.Contains("loop"));

        Assert.Equal(ReplyState.Pending, ByAuthor(replies, "Newcomer").State);
        Assert.Equal(1, report.RepliesHeld);
        Assert.DoesNotContain(replies, r => r.AuthorName is "Spammer" or "Regretful" or "Other blog");
        Assert.Equal(1, report.Skipped("spam comment"));
        Assert.Equal(1, report.Skipped("trashed comment"));
        Assert.Equal(1, report.LinkedFrom);

        // Zero dates: the local date when there is one, else the post's date.
        Assert.Equal(new DateTimeOffset(2020, 1, 1, 10, 0, 0, TimeSpan.Zero), ByAuthor(replies, "Timeless").CreatedAt);
        Assert.Equal(new DateTimeOffset(2020, 1, 8, 9, 0, 0, TimeSpan.Zero), ByAuthor(replies, "Local").CreatedAt);
        Assert.Contains(report.Lines, l => l.Contains("comment 211: no valid date"));

        Assert.Equal(1, report.Skipped("post (draft)"));
        Assert.Equal(1, report.Skipped("page"));
        Assert.Equal(1, report.Skipped("attachment"));
        Assert.Equal((1, 9), (report.ThreadsImported, report.RepliesImported));
        Assert.Equal(9, replies.Count);
    }

    [Fact]
    public async Task Importing_the_same_file_again_adds_nothing()
    {
        await ImportFileAsync("rules.wxr");
        var before = await StoredAsync();

        var again = await ImportFileAsync("rules.wxr");

        Assert.Equal((0, 0, 0), (again.ThreadsImported, again.ThreadsUpdated, again.RepliesImported));
        Assert.Equal(1, again.Skipped("unchanged post"));
        var after = await StoredAsync();
        Assert.Equal(before.Threads.Count, after.Threads.Count);
        Assert.Equal(before.Replies.Count, after.Replies.Count);
    }

    [Fact]
    public async Task An_updated_export_adds_only_the_new_comment_under_its_stored_parent()
    {
        await ImportFileAsync("rules.wxr");
        var updated = File.ReadAllText(Fixture("rules.wxr")).Replace("\t</item>\n\t<item>\n\t\t<title>A draft</title>", """
            <wp:comment>
            	<wp:comment_id>300</wp:comment_id>
            	<wp:comment_author>Latecomer</wp:comment_author>
            	<wp:comment_date_gmt>2021-05-05 10:00:00</wp:comment_date_gmt>
            	<wp:comment_content>Still here.</wp:comment_content>
            	<wp:comment_approved>1</wp:comment_approved>
            	<wp:comment_parent>202</wp:comment_parent>
            </wp:comment>
            </item>
            <item>
            	<title>A draft</title>
            """);
        Assert.Contains("Latecomer", updated);

        var report = await ImportAsync(updated, seekable: false);

        Assert.Equal((0, 1, 1), (report.ThreadsImported, report.ThreadsUpdated, report.RepliesImported));
        var (threads, replies) = await StoredAsync();
        Assert.Equal(10, replies.Count);
        Assert.Equal(ByAuthor(replies, "Answerer").Id, ByAuthor(replies, "Latecomer").ParentReplyId);
        Assert.Equal(new DateTimeOffset(2021, 5, 5, 10, 0, 0, TimeSpan.Zero), Assert.Single(threads).LastActivityAt);
    }

    [Theory]
    [InlineData("not-xml.wxr", "broken")]
    [InlineData("other-rss.xml", "no WordPress (WXR 1.0–1.2) namespace")]
    [InlineData("billion-laughs.wxr", "DTD")]
    [InlineData("xxe.wxr", "DTD")]
    public async Task Bad_files_are_refused_with_a_clear_message_and_nothing_stored(string name, string expected)
    {
        var e = await Assert.ThrowsAsync<InvalidDataException>(() => ImportFileAsync(name));

        Assert.Contains(expected, e.Message);
        var (threads, replies) = await StoredAsync();
        Assert.Empty(threads);
        Assert.Empty(replies);
    }

    [Fact]
    public async Task A_truncated_file_is_refused_before_any_post_is_stored()
    {
        // Two whole posts, then the file stops in the middle of the third.
        var text = File.ReadAllText(Fixture("rules.wxr"));
        var item = text[text.IndexOf("\t<item>", StringComparison.Ordinal)..(text.IndexOf("\t</item>", StringComparison.Ordinal) + 9)];
        var head = text[..text.IndexOf("\t<item>", StringComparison.Ordinal)];
        var truncated = head + item + item.Replace("<wp:post_id>10<", "<wp:post_id>20<") + item[..(item.Length / 2)];

        var e = await Assert.ThrowsAsync<InvalidDataException>(() => ImportAsync(truncated));

        Assert.Contains("cut short", e.Message);
        Assert.Empty((await StoredAsync()).Threads);
    }

    [Fact]
    public async Task A_comment_over_the_size_limit_is_skipped_and_reported()
    {
        var huge = new string('x', WordPressImporter.MaxBodyLength + 1);
        var wxr = File.ReadAllText(Fixture("rules.wxr")).Replace("No date at all.", huge);

        var report = await ImportAsync(wxr);

        Assert.Equal(1, report.Skipped("oversized comment"));
        Assert.Contains(report.Lines, l => l.Contains("comment 211 skipped"));
        Assert.Equal(8, report.RepliesImported);
    }

    [Fact]
    public async Task A_post_that_fails_to_store_leaves_nothing_behind_and_the_next_post_still_comes_in()
    {
        // WordPress comment ids are unique across a site, so a second post reusing one breaks the store in its middle.
        static string Post(int id, params int[] commentIds) =>
            $"<item><title>Post {id}</title><wp:post_id>{id}</wp:post_id><wp:post_date_gmt>2020-01-01 00:00:00</wp:post_date_gmt><wp:status>publish</wp:status><wp:post_type>post</wp:post_type>"
            + string.Concat(commentIds.Select(c => $"<wp:comment><wp:comment_id>{c}</wp:comment_id><wp:comment_content>c{c}</wp:comment_content><wp:comment_approved>1</wp:comment_approved></wp:comment>"))
            + "</item>";
        var wxr = $"""<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><wp:base_site_url>https://f.example</wp:base_site_url>{Post(1, 1)}{Post(2, 2, 1)}{Post(3, 3)}</channel></rss>""";

        var report = await ImportAsync(wxr);

        Assert.Equal((2, 2), (report.ThreadsImported, report.RepliesImported));
        Assert.Equal(1, report.Skipped("failed post"));
        Assert.Contains(report.Lines, l => l.StartsWith("\"Post 2\": not imported"));
        var (threads, replies) = await StoredAsync();
        Assert.Equal(["Post 1", "Post 3"], threads.Select(t => t.Title).Order());
        Assert.Equal(["c1", "c3"], replies.Select(r => r.Body).Order());
    }

    [Fact]
    public async Task A_generated_five_megabyte_export_imports()
    {
        var wxr = new StringBuilder("""
            <?xml version="1.0" encoding="UTF-8"?>
            <rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.0/">
            <channel><title>Big</title><link>https://big.example</link>
            """);
        var paragraph = string.Concat(Enumerable.Repeat("Lorem ipsum dolor sit amet &amp; more. ", 12));
        int posts = 0, comments = 0;
        while (wxr.Length < 5 * 1024 * 1024)
        {
            posts++;
            wxr.Append($"<item><title>Post {posts}</title><dc:creator>x</dc:creator><content:encoded><![CDATA[<p>{paragraph}</p>]]></content:encoded>")
                .Append($"<wp:post_id>{posts}</wp:post_id><wp:post_date_gmt>2019-03-04 05:06:07</wp:post_date_gmt><wp:status>publish</wp:status><wp:post_type>post</wp:post_type>");
            for (var c = 0; c < 20; c++)
            {
                comments++;
                var parent = c == 0 ? 0 : comments - 1;
                wxr.Append($"<wp:comment><wp:comment_id>{comments}</wp:comment_id><wp:comment_author>Guest {c}</wp:comment_author>")
                    .Append($"<wp:comment_date_gmt>2019-03-05 05:06:{c:00}</wp:comment_date_gmt><wp:comment_content>{paragraph}</wp:comment_content>")
                    .Append($"<wp:comment_approved>1</wp:comment_approved><wp:comment_parent>{parent}</wp:comment_parent></wp:comment>");
            }

            wxr.Append("</item>\n");
        }

        wxr.Append("</channel></rss>");

        var report = await ImportAsync(wxr.ToString(), seekable: false);

        Assert.Equal((posts, comments), (report.ThreadsImported, report.RepliesImported));
        Assert.Empty(report.Lines);
    }

    /// <summary>An upload: read once, front to back, with no length and no rewinding.</summary>
    private sealed class ForwardOnlyStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
