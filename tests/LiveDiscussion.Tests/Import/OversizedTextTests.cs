using System.Text;
using LiveDiscussion.TestSupport;
using LiveDiscussion.Web.Features.Import;

namespace LiveDiscussion.Tests.Import;

/// <summary>Alone in its collection: it measures what the whole process allocates while importing.</summary>
[CollectionDefinition(nameof(OversizedTextTests), DisableParallelization = true)]
public sealed class OversizedTextCollection;

[Collection(nameof(OversizedTextTests))]
public sealed class OversizedTextTests(EmptyApp app) : IClassFixture<EmptyApp>, IDisposable
{
    private const int FortyMegabytes = 40 * 1024 * 1024;

    private readonly string _file = Path.Combine(Path.GetTempPath(), "livediscussion-tests", $"{Guid.NewGuid():N}.wxr");

    public void Dispose() => File.Delete(_file);

    [Fact]
    public async Task A_forty_megabyte_comment_is_skipped_with_the_reason_without_being_read_into_memory_and_the_rest_of_its_post_comes_in()
    {
        WriteExport(_file, hugeComment: true);

        await using var wxr = File.OpenRead(_file);
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var report = await app.Service<WordPressImporter>().ImportAsync(wxr);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.Equal((1, 3), (report.ThreadsImported, report.RepliesImported));
        Assert.Equal(1, report.Skipped("oversized comment"));
        Assert.Contains(report.Lines, l => l.StartsWith("\"Big comments\": comment 2 skipped") && l.Contains("over the 10,485,760 limit"));
        Assert.Contains(report.Lines, l => l.Contains("comment 3 answers comment 2, which is missing or was not imported"));
        // Read whole, the comment alone would be 80 MB of UTF-16 (and as much again while the parser builds it).
        Assert.True(allocated < FortyMegabytes, $"the import allocated {allocated:N0} bytes");

        using var reader = app.Anonymous();
        var thread = await reader.GetThreadAsync(Assert.Single(await reader.ListThreadsAsync(), t => t.Title == "Big comments").Id);
        Assert.Equal(["Before it.", "An answer to the huge one.", "After it."], thread.Replies.Select(r => r.Body));
    }

    [Fact]
    public async Task A_post_cut_short_inside_a_forty_megabyte_comment_is_refused_and_nothing_is_stored()
    {
        WriteExport(_file, hugeComment: true, cutInsideIt: true);
        using var reader = app.Anonymous();
        var threadsBefore = await reader.ThreadIdsAsync();

        await using var wxr = File.OpenRead(_file);
        var e = await Assert.ThrowsAsync<InvalidDataException>(() => app.Service<WordPressImporter>().ImportAsync(wxr));

        Assert.Contains("cut short", e.Message);
        Assert.Equal(threadsBefore, await reader.ThreadIdsAsync());
    }

    /// <summary>One post whose second comment is 40 MB of HTML, written to disk in pieces.</summary>
    private static void WriteExport(string path, bool hugeComment, bool cutInsideIt = false)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var file = new StreamWriter(path, append: false, new UTF8Encoding(false));
        file.Write("""
            <?xml version="1.0" encoding="UTF-8"?>
            <rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wp="http://wordpress.org/export/1.2/">
            <channel><wp:base_site_url>https://huge.example</wp:base_site_url>
            <item><title>Big comments</title><content:encoded><![CDATA[<p>A post.</p>]]></content:encoded><wp:post_id>1</wp:post_id>
            <wp:post_date_gmt>2020-01-01 00:00:00</wp:post_date_gmt><wp:status>publish</wp:status><wp:post_type>post</wp:post_type>
            """);
        file.Write(Comment(1, 0, "Before it.", "01"));
        file.Write("<wp:comment><wp:comment_id>2</wp:comment_id><wp:comment_author>Flooder</wp:comment_author><wp:comment_approved>1</wp:comment_approved><wp:comment_content><![CDATA[");
        var paragraph = "<p>" + new string('x', 1017) + "</p>\n";
        for (var written = 0; hugeComment && written < FortyMegabytes; written += paragraph.Length)
        {
            file.Write(paragraph);
        }

        if (cutInsideIt)
        {
            return;
        }

        file.Write("]]></wp:comment_content></wp:comment>");
        file.Write(Comment(3, 2, "An answer to the huge one.", "03"));
        file.Write(Comment(4, 0, "After it.", "04"));
        file.Write("</item></channel></rss>");
    }

    private static string Comment(int id, int parent, string text, string day) =>
        $"<wp:comment><wp:comment_id>{id}</wp:comment_id><wp:comment_author>Guest {id}</wp:comment_author>" +
        $"<wp:comment_date_gmt>2020-01-{day} 00:00:00</wp:comment_date_gmt><wp:comment_content><![CDATA[{text}]]></wp:comment_content>" +
        $"<wp:comment_approved>1</wp:comment_approved><wp:comment_parent>{parent}</wp:comment_parent></wp:comment>";
}
