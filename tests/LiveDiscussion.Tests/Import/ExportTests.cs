using System.Net;
using System.Text.RegularExpressions;
using LiveDiscussion.Contracts;
using LiveDiscussion.TestSupport;

namespace LiveDiscussion.Tests.Import;

/// <summary>GET /api/threads/{id}/export, and the file it gives imported into a fresh database.</summary>
public sealed class ExportTests(EmptyApp app, ExportTests.FreshApp fresh) : IClassFixture<EmptyApp>, IClassFixture<ExportTests.FreshApp>
{
    private readonly TestApp _app = app;
    private readonly TestApp _fresh = fresh;

    /// <summary>The app the exports are imported into: another database than the one they come from.</summary>
    public sealed class FreshApp() : TestApp(seedDemo: false);

    private const string DemoTitle = "Is new media activism an illusion of new solidarity?";

    private static byte[] Fixture(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Import", "Fixtures", name));

    /// <summary>Imports the file and reads back its one post's thread, found by its title among the other tests' threads.</summary>
    private static async Task<ThreadDetailDto> ImportAsync(TestApp app, byte[] wxr, string title)
    {
        using var admin = await app.AdminAsync();
        (await admin.PostAsync("/api/import/wordpress", new ByteArrayContent(wxr))).EnsureSuccessStatusCode();
        return await admin.GetThreadAsync((await admin.ListThreadsAsync()).Single(t => t.Title == title).Id);
    }

    private static async Task<byte[]> ExportAsync(HttpClient client, long threadId)
    {
        var response = await client.GetAsync($"/api/threads/{threadId}/export");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/rss+xml", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsByteArrayAsync();
    }

    [Fact]
    public async Task The_demo_thread_exported_and_imported_into_a_fresh_database_has_the_same_tree_text_labels_and_linked_from_entry()
    {
        var original = await ImportAsync(_app, Fixture("wordpress-new-media-activism.wxr"), DemoTitle);
        using var reader = _app.Anonymous();

        var wxr = await ExportAsync(reader, original.Id);
        var copy = await ImportAsync(_fresh, wxr, DemoTitle);

        var text = System.Text.Encoding.UTF8.GetString(wxr);
        Assert.Contains("<wp:wxr_version>1.2</wp:wxr_version>", text);
        Assert.Contains("<wp:comment_parent>", text);
        Assert.Equal(original.Title, copy.Title);
        Assert.Equal(Words(original.BodyHtml), Words(copy.BodyHtml));
        Assert.Equal((ThreadState.Closed, "Comments are closed."), (copy.State, copy.CloseReason));
        Assert.Equal(original.CreatedAt, copy.CreatedAt);
        Assert.Equal(original.Labels, copy.Labels);
        Assert.Equal(original.LinkedFrom.Select(l => (l.Title, l.Url, l.Excerpt, l.At)), copy.LinkedFrom.Select(l => (l.Title, l.Url, l.Excerpt, l.At)));
        Assert.Equal(8, copy.Replies.Count);
        Assert.Equal(Tree(original), Tree(copy));
    }

    [Fact]
    public async Task A_thread_written_here_round_trips_and_a_deleted_reply_with_answers_stays_as_a_placeholder_holding_its_place()
    {
        using var admin = await _app.AdminAsync();
        using var julia = await _app.MemberAsync("julia");
        var thread = await admin.StartThreadAsync("Written here", "**Bold** opening.\n\nA second paragraph & more.");
        var first = await julia.ReplyAsync(thread.Id, "First *point*.");
        var middle = await julia.ReplyAsync(thread.Id, "I will take this back.", first.Id);
        await julia.ReplyAsync(thread.Id, "An answer to the taken-back one.", middle.Id);
        await admin.ReplyAsync(thread.Id, "The author answers.", first.Id);
        var alone = await julia.ReplyAsync(thread.Id, "Gone without a trace.");
        (await julia.DeleteAsync($"/api/replies/{middle.Id}")).EnsureSuccessStatusCode();
        (await julia.DeleteAsync($"/api/replies/{alone.Id}")).EnsureSuccessStatusCode();
        using var reader = _app.Anonymous();

        var copy = await ImportAsync(_fresh, await ExportAsync(reader, thread.Id), "Written here");

        Assert.Equal("Written here", copy.Title);
        Assert.Equal("Bold opening. A second paragraph & more.", Words(copy.BodyHtml));
        var author = (await admin.GetThreadAsync(thread.Id)).Author.Name;
        Assert.Equal(author, copy.Author.Name);
        Assert.Equal(
        [
            (0, "julia", "First point.", false),
            (1, "Anonymous", "[deleted]", false),
            (2, "julia", "An answer to the taken-back one.", false),
            (1, author, "The author answers.", true),
        ], Tree(copy).Select(r => (r.Depth, r.Author.StartsWith("member-") ? "julia" : r.Author, r.Text, r.ByThreadAuthor)));
    }

    [Fact]
    public async Task Readers_export_what_they_see_moderators_get_held_replies_unapproved_and_nobody_gets_emails_or_ips()
    {
        var thread = await ImportAsync(_app, Fixture("rules.wxr"), "Rules & exceptions…");
        using var reader = _app.Anonymous();
        using var admin = await _app.AdminAsync();

        var readers = System.Text.Encoding.UTF8.GetString(await ExportAsync(reader, thread.Id));
        var moderators = System.Text.Encoding.UTF8.GetString(await ExportAsync(admin, thread.Id));

        Assert.DoesNotContain("Waiting for approval.", readers);
        Assert.Matches(new Regex(@"Waiting for approval\.[^\]]*\]\]></wp:comment_content>\s*<wp:comment_approved><!\[CDATA\[0\]\]>"), moderators);
        foreach (var secret in new[] { "answerer@mail.example", "203.0.113.9", "newcomer@mail.example", "198.51.100.77" })
        {
            Assert.DoesNotContain(secret, readers + moderators);
        }

        await (await reader.GetAsync("/api/threads/999999/export")).ShouldBeProblemAsync(HttpStatusCode.NotFound, "");
    }

    private static List<(int Depth, string Author, string Text, bool ByThreadAuthor)> Tree(ThreadDetailDto thread)
    {
        var depth = new Dictionary<long, int>();
        return thread.Replies.Select(r =>
        {
            depth[r.Id] = r.ParentReplyId is { } parent ? depth[parent] + 1 : 0;
            return (depth[r.Id], r.Author.Name, Words(r.BodyHtml), r.IsByThreadAuthor);
        }).ToList();
    }

    /// <summary>What a reader reads: the words, without markup or layout (blocks and breaks part words, inline tags do not).</summary>
    private static string Words(string html)
    {
        var blocksApart = Regex.Replace(html, @"</?(p|br|div|blockquote|li|ul|ol|h\d)\b[^>]*>", " ");
        return Regex.Replace(WebUtility.HtmlDecode(Regex.Replace(blocksApart, "<[^>]*>", "")), @"\s+", " ").Trim();
    }
}
