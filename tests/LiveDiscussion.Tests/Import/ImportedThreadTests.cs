using System.Net;
using System.Net.Http.Json;
using System.Text;
using LiveDiscussion.Contracts;
using LiveDiscussion.TestSupport;
using LiveDiscussion.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LiveDiscussion.Tests.Import;

/// <summary>What readers and moderators see of an imported blog: linked-from entries, labels, and no commenter contacts.</summary>
public sealed class ImportedThreadTests(EmptyApp app) : IClassFixture<EmptyApp>
{
    private static byte[] Fixture(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Import", "Fixtures", name));

    private const string DemoTitle = "Is new media activism an illusion of new solidarity?";
    private const string RulesTitle = "Rules & exceptions…";

    /// <summary>Imports the file and reads back its one post's thread, found by its title among the other tests' threads.</summary>
    private async Task<ThreadDetailDto> ImportAsync(HttpClient admin, string fixture, string title)
    {
        (await admin.PostAsync("/api/import/wordpress", new ByteArrayContent(Fixture(fixture)))).EnsureSuccessStatusCode();
        var summary = (await admin.ListThreadsAsync()).Single(t => t.Title == title);
        return await admin.GetThreadAsync(summary.Id);
    }

    [Fact]
    public async Task The_demo_pingback_is_one_linked_from_entry_shown_beside_the_replies_not_among_them_and_stays_one_after_a_reimport()
    {
        using var admin = await app.AdminAsync();
        using var reader = app.Anonymous();
        await ImportAsync(admin, "wordpress-new-media-activism.wxr", DemoTitle);
        var thread = await ImportAsync(admin, "wordpress-new-media-activism.wxr", DemoTitle);

        var link = Assert.Single((await reader.GetThreadAsync(thread.Id)).LinkedFrom);
        Assert.Equal("Introduction: new media for development and social change | New media for change", link.Title);
        Assert.Equal("https://newmedia4change.example/2017/09/12/introduction-new-media-for-development-and-social-change/", link.Url);
        Assert.Equal("[…] Is new media activism an illusion of new solidarity? […]", link.Excerpt);
        Assert.Equal(8, thread.Replies.Count);
        Assert.DoesNotContain(thread.Replies, r => r.Author.Name.StartsWith("Introduction"));

        var page = await reader.GetStringAsync($"/t/{thread.Id}/{thread.Slug}");
        Assert.Contains("Linked from", page);
        Assert.Contains("""<a href="https://newmedia4change.example/2017/09/12/introduction-new-media-for-development-and-social-change/" rel="nofollow ugc noopener">Introduction: new media for development and social change | New media for change</a>""", page);
    }

    [Fact]
    public async Task Categories_and_tags_are_labels_on_the_thread_in_the_api_the_list_and_the_page()
    {
        using var admin = await app.AdminAsync();
        using var reader = app.Anonymous();
        var thread = await ImportAsync(admin, "wordpress-new-media-activism.wxr", DemoTitle);

        var expected = new[] { new LabelDto("New media activism", "category"), new LabelDto("solidarity", "tag") };
        Assert.Equal(expected, (await reader.GetThreadAsync(thread.Id)).Labels);
        Assert.Equal(expected, Assert.Single(await reader.ListThreadsAsync(), t => t.Id == thread.Id).Labels);

        const string labels = "data-testid=\"thread-labels\"";
        var home = await reader.GetStringAsync("/");
        var row = home.IndexOf($"href=\"t/{thread.Id}/{thread.Slug}\"", StringComparison.Ordinal);
        Assert.True(row >= 0, "the thread is not on the home page");
        // From this thread's row on: the home page lists the other tests' threads too.
        Assert.Equal(["New media activism", "solidarity"], Chips(home[row..], labels));
        Assert.Equal(["New media activism", "solidarity"], Chips(await reader.GetStringAsync($"/t/{thread.Id}/{thread.Slug}"), labels));
    }

    [Fact]
    public async Task Commenters_emails_and_ips_are_stored_for_moderation_but_in_no_api_answer_or_page()
    {
        using var admin = await app.AdminAsync();
        using var reader = app.Anonymous();
        var thread = await ImportAsync(admin, "rules.wxr", RulesTitle);

        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<DiscussionDbContext>>().CreateDbContextAsync())
        {
            var answerer = await db.Replies.SingleAsync(r => r.ThreadId == thread.Id && r.AuthorName == "Answerer");
            Assert.Equal(("answerer@mail.example", "203.0.113.9"), (answerer.AuthorEmail, answerer.AuthorIp));
            var newcomer = await db.Replies.SingleAsync(r => r.ThreadId == thread.Id && r.AuthorName == "Newcomer");
            Assert.Equal(("newcomer@mail.example", "198.51.100.77"), (newcomer.AuthorEmail, newcomer.AuthorIp));
        }

        using var adminBrowser = await CookieClientAsync(TestApp.AdminEmail, TestApp.AdminPassword);
        var seen = new StringBuilder()
            .Append(await reader.GetStringAsync($"/api/threads/{thread.Id}"))
            .Append(await admin.GetStringAsync($"/api/threads/{thread.Id}"))
            .Append(await admin.GetStringAsync("/api/moderation/queue"))
            .Append(await admin.GetStringAsync($"/api/threads/{thread.Id}/events?after=0"))
            .Append(await reader.GetStringAsync($"/t/{thread.Id}/{thread.Slug}"))
            .Append(await adminBrowser.GetStringAsync($"/t/{thread.Id}/{thread.Slug}"))
            .Append(await adminBrowser.GetStringAsync("/moderation"))
            .ToString();

        // The pages are really there, and the admin's shows the held reply: the contacts would be in reach.
        Assert.Contains("An answer that arrived first in the file.", seen);
        Assert.Contains("Waiting for approval.", seen);
        foreach (var secret in new[] { "answerer@mail.example", "203.0.113.9", "newcomer@mail.example", "198.51.100.77" })
        {
            Assert.DoesNotContain(secret, seen);
        }
    }

    /// <summary>A client signed in with the cookie, as a browser is, so pages render for that person.</summary>
    private async Task<HttpClient> CookieClientAsync(string email, string password)
    {
        var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = app.BaseAddress };
        (await client.PostAsJsonAsync("/api/auth/login?useCookies=true", new { email, password })).EnsureSuccessStatusCode();
        return client;
    }

    /// <summary>The texts inside the div holding <paramref name="marker"/>: the chips' words, in order.</summary>
    private static string[] Chips(string html, string marker)
    {
        var from = html.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(from >= 0, $"{marker} is not on the page");
        var depth = 1;
        var at = from;
        while (depth > 0)
        {
            var open = html.IndexOf("<div", at, StringComparison.Ordinal);
            var close = html.IndexOf("</div>", at, StringComparison.Ordinal);
            (depth, at) = open >= 0 && open < close ? (depth + 1, open + 4) : (depth - 1, close + 6);
        }

        return System.Text.RegularExpressions.Regex.Split(html[(html.IndexOf('>', from) + 1)..at], "<[^>]*>")
            .Select(t => WebUtility.HtmlDecode(t).Trim()).Where(t => t.Length > 0).ToArray();
    }
}
