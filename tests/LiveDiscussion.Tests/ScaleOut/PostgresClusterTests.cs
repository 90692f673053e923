using System.Net;
using System.Net.Http.Json;
using System.Text;
using LiveDiscussion.Contracts;
using LiveDiscussion.TestSupport;
using LiveDiscussion.Web.Features.Import;
using Microsoft.EntityFrameworkCore;

namespace LiveDiscussion.Tests.ScaleOut;

/// <summary>
/// Two nodes on one PostgreSQL database deciding the same thing at the same moment: what one node checked still holds
/// when it commits, because the other waited for it, so each outcome is the one a single server would give.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class PostgresClusterTests(PostgresClusterTests.Fixture cluster) : IClassFixture<PostgresClusterTests.Fixture>
{
    public sealed class Fixture : IAsyncLifetime
    {
        public Cluster Cluster { get; private set; } = null!;

        public async Task InitializeAsync() => Cluster = await Cluster.StartAsync(await TestStore.PostgresAsync());

        public async Task DisposeAsync() => await Cluster.DisposeAsync();
    }

    private NodeProcess A => cluster.Cluster.A;
    private NodeProcess B => cluster.Cluster.B;

    [Fact]
    public async Task The_same_clientRequestId_sent_to_both_nodes_at_once_stores_one_reply_that_both_answers_name()
    {
        using var admin = await A.AdminAsync();
        var thread = await admin.StartThreadAsync("One request, two nodes");
        var email = $"retrier-{Guid.NewGuid():N}@test.example";
        using (var anonymous = A.Anonymous())
        {
            (await anonymous.PostAsJsonAsync("/api/auth/register", new { email, password = ApiAccounts.MemberPassword }))
                .EnsureSuccessStatusCode();
        }

        using var onA = await ApiAccounts.SignedInAsync(A.BaseAddress, email, ApiAccounts.MemberPassword);
        using var onB = await ApiAccounts.SignedInAsync(B.BaseAddress, email, ApiAccounts.MemberPassword);

        for (var round = 0; round < 10; round++)
        {
            var requestId = $"composer-{round}";
            var answers = await Task.WhenAll(
                onA.PostReplyAsync(thread.Id, $"Said once, round {round}", clientRequestId: requestId),
                onB.PostReplyAsync(thread.Id, $"Said once, round {round}", clientRequestId: requestId));

            var replies = await Task.WhenAll(answers.Select(answer => answer.ReadAsync<ReplyDto>()));
            Assert.Equal(replies[0].Id, replies[1].Id);
        }

        await using var db = cluster.Cluster.Store.CreateContext();
        var stored = await db.Replies.AsNoTracking().Where(r => r.ThreadId == thread.Id).Select(r => r.Body).ToListAsync();
        Assert.Equal(Enumerable.Range(0, 10).Select(round => $"Said once, round {round}"), stored.Order());
        Assert.Equal(10, (await admin.GetThreadAsync(thread.Id)).LatestSeq);
    }

    [Fact]
    public async Task A_close_on_A_while_writers_post_on_B_comes_after_every_acknowledged_reply_and_before_every_refusal()
    {
        using var admin = await A.AdminAsync();
        var thread = await admin.StartThreadAsync("Closed under writers");
        var writers = new List<HttpClient>();
        for (var i = 0; i < 4; i++)
        {
            writers.Add(await B.MemberAsync($"writer{i}"));
        }

        var writing = writers.Select((writer, w) => WriteUntilRefusedAsync(writer, w, thread.Id)).ToList();
        await using (var db = cluster.Cluster.Store.CreateContext())
        {
            // Closed while replies are arriving, not before the first or after the last.
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (await db.Replies.CountAsync(r => r.ThreadId == thread.Id) < 12 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }
        }

        (await admin.PostAsJsonAsync($"/api/threads/{thread.Id}/close", new CloseThreadRequest("Enough"), Api.Json))
            .EnsureSuccessStatusCode();
        var outcomes = await Task.WhenAll(writing);

        var unexpected = outcomes.SelectMany(o => o.Unexpected).ToList();
        Assert.True(unexpected.Count == 0, $"{unexpected.Count} unexpected answers, e.g. {string.Join(" | ", unexpected.Take(3))}");
        Assert.All(outcomes, o => Assert.True(o.Refused > 0, "every writer was refused once the thread closed"));
        var acknowledged = outcomes.SelectMany(o => o.Stored).ToList();
        await using var store = cluster.Cluster.Store.CreateContext();
        var log = await store.ThreadEvents.AsNoTracking().Where(e => e.ThreadId == thread.Id).OrderBy(e => e.Seq)
            .Select(e => new { e.Seq, e.Type, e.ReplyId }).ToListAsync();
        Assert.Equal(Enumerable.Range(1, log.Count).Select(seq => (long)seq), log.Select(e => e.Seq));
        var close = Assert.Single(log, e => e.Type == ThreadEventTypes.ThreadClosed);
        Assert.Equal(log.Count, close.Seq);
        Assert.Equal(acknowledged.Order(), log.Where(e => e.Type == ThreadEventTypes.ReplyPosted).Select(e => e.ReplyId!.Value).Order());
        Assert.Equal(acknowledged.Count,
            await store.Replies.CountAsync(r => r.ThreadId == thread.Id));
        foreach (var writer in writers)
        {
            writer.Dispose();
        }
    }

    [Fact]
    public async Task The_same_WordPress_file_imported_on_both_nodes_at_once_stores_every_post_and_comment_once()
    {
        using var adminA = await A.AdminAsync();
        using var adminB = await B.AdminAsync();
        var site = $"twice-{Guid.NewGuid():N}";

        var first = await Task.WhenAll(ImportAsync(adminA, site, commentsPerPost: 3), ImportAsync(adminB, site, commentsPerPost: 3));
        Assert.Equal(Posts, first.Sum(report => report.ThreadsImported));
        // Again with one comment more on every post: each thread is there already, and gets it once, as an event.
        var second = await Task.WhenAll(ImportAsync(adminA, site, commentsPerPost: 4), ImportAsync(adminB, site, commentsPerPost: 4));
        Assert.Equal(0, second.Sum(report => report.ThreadsImported));
        Assert.Equal(Posts, second.Sum(report => report.RepliesImported));

        await using var db = cluster.Cluster.Store.CreateContext();
        var threads = await db.Threads.AsNoTracking().Where(t => t.SourceKey!.Contains(site))
            .Select(t => new { t.Id, t.Title, t.LatestSeq }).ToListAsync();
        Assert.Equal(Enumerable.Range(0, Posts).Select(p => $"Post {p}"), threads.Select(t => t.Title).Order());
        foreach (var thread in threads)
        {
            var replies = await db.Replies.AsNoTracking().Where(r => r.ThreadId == thread.Id).Select(r => r.SourceKey!).ToListAsync();
            Assert.Equal(4, replies.Count);
            Assert.Equal(4, replies.Distinct().Count());
            var log = await db.ThreadEvents.AsNoTracking().Where(e => e.ThreadId == thread.Id).Select(e => e.Seq).ToListAsync();
            Assert.Equal([1L], log);
            Assert.Equal(1, thread.LatestSeq);
        }
    }

    [Fact]
    public async Task Moderation_on_A_and_on_B_at_once_is_in_the_audit_log_read_from_either_node()
    {
        using var adminA = await A.AdminAsync();
        using var adminB = await B.AdminAsync();
        var thread = await adminA.StartThreadAsync("Moderated from two nodes");
        using var member = await A.MemberAsync("hidden");
        var first = await member.ReplyAsync(thread.Id, "First to hide");
        var second = await member.ReplyAsync(thread.Id, "Second to hide");

        var hidden = await Task.WhenAll(
            adminA.PostAsJsonAsync($"/api/replies/{first.Id}/hide", new HideReplyRequest("From A"), Api.Json),
            adminB.PostAsJsonAsync($"/api/replies/{second.Id}/hide", new HideReplyRequest("From B"), Api.Json));
        Assert.All(hidden, response => Assert.Equal(HttpStatusCode.NoContent, response.StatusCode));

        foreach (var reader in new[] { adminA, adminB })
        {
            var audit = await (await reader.GetAsync($"/api/moderation/audit?action=hide-reply&threadId={thread.Id}"))
                .ReadAsync<List<AuditEntryDto>>();
            Assert.Equal([(first.Id, "From A"), (second.Id, "From B")],
                audit.Select(entry => (entry.ReplyId!.Value, entry.Reason!)).OrderBy(entry => entry.Item1));
        }

        // The search boxes ignore case on PostgreSQL as on SQLite.
        var admins = (await (await adminB.GetAsync($"/api/moderation/audit?threadId={thread.Id}")).ReadAsync<List<AuditEntryDto>>())
            .Select(entry => entry.Actor).Distinct().ToList();
        var byAdmin = await (await adminB.GetAsync(
                $"/api/moderation/audit?action=hide-reply&threadId={thread.Id}&actor={Uri.EscapeDataString(admins.Single().ToUpperInvariant())}"))
            .ReadAsync<List<AuditEntryDto>>();
        Assert.Equal(2, byAdmin.Count);
        var people = await (await adminA.GetAsync($"/api/users?search={Uri.EscapeDataString(first.Author.Name.ToUpperInvariant())}"))
            .ReadAsync<PeoplePageDto>();
        Assert.Contains(people.People, person => person.Id == first.Author.UserId);

        var log = await adminB.EventsAfterAsync(thread.Id, 0);
        Assert.Equal([1L, 2, 3, 4], log.Events.Select(e => e.Seq));
        Assert.Equal([first.Id, second.Id],
            log.Events.Where(e => e.Type == ThreadEventTypes.ReplyHidden).Select(e => e.Reply!.Id).Order());
    }

    [Fact]
    public async Task Reports_reaching_the_threshold_on_both_nodes_at_once_hide_the_reply_once()
    {
        using var admin = await A.AdminAsync();
        var thread = await admin.StartThreadAsync("Reported from two nodes");
        using var author = await A.MemberAsync("reported");
        using var first = await A.MemberAsync("reporter");
        using var onA = await A.MemberAsync("reporter");
        using var onB = await B.MemberAsync("reporter");
        var replies = new List<ReplyDto>();
        for (var round = 0; round < 8; round++)
        {
            var reply = await author.ReplyAsync(thread.Id, $"Reported {round}");
            replies.Add(reply);
            (await first.PostAsJsonAsync($"/api/replies/{reply.Id}/flags", new FlagReplyRequest(FlagReasons.Spam), Api.Json))
                .EnsureSuccessStatusCode();
            // The second and third report at once, one on each node: whichever comes second is the third of three.
            var reports = await Task.WhenAll(
                onA.PostAsJsonAsync($"/api/replies/{reply.Id}/flags", new FlagReplyRequest(FlagReasons.Spam), Api.Json),
                onB.PostAsJsonAsync($"/api/replies/{reply.Id}/flags", new FlagReplyRequest(FlagReasons.Spam), Api.Json));
            Assert.All(reports, response => Assert.Equal(HttpStatusCode.Created, response.StatusCode));
        }

        var log = await admin.EventsAfterAsync(thread.Id, 0);
        var hidden = log.Events.Where(e => e.Type == ThreadEventTypes.ReplyHidden).Select(e => e.Reply!.Id).ToList();
        Assert.Equal(replies.Select(r => r.Id), hidden.Order());
    }

    private sealed record Writing(List<long> Stored, int Refused, List<string> Unexpected);

    /// <summary>Posts until the thread refuses, then twice more: every refusal after the close is a 409.</summary>
    private static async Task<Writing> WriteUntilRefusedAsync(HttpClient writer, int writerIndex, long threadId)
    {
        var stored = new List<long>();
        var unexpected = new List<string>();
        var refused = 0;
        for (var i = 0; i < 400 && refused < 3; i++)
        {
            var response = await writer.PostReplyAsync(threadId, $"Writer {writerIndex}, reply {i}");
            if (response.IsSuccessStatusCode && refused == 0)
            {
                stored.Add((await response.Content.ReadFromJsonAsync<ReplyDto>(Api.Json))!.Id);
            }
            else if (response.StatusCode == HttpStatusCode.Conflict)
            {
                refused++;
            }
            else
            {
                unexpected.Add($"{(int)response.StatusCode} after {refused} refusals: {await response.Content.ReadAsStringAsync()}");
            }
        }

        return new Writing(stored, refused, unexpected);
    }

    private const int Posts = 4;

    private static async Task<ImportReport> ImportAsync(HttpClient admin, string site, int commentsPerPost)
    {
        var items = new StringBuilder();
        for (var post = 0; post < Posts; post++)
        {
            items.Append($"""
                <item><title>Post {post}</title><content:encoded><![CDATA[<p>Post {post}.</p>]]></content:encoded><wp:post_id>{post + 1}</wp:post_id>
                <wp:post_date_gmt>2020-01-01 00:00:00</wp:post_date_gmt><wp:status>publish</wp:status><wp:post_type>post</wp:post_type>
                """);
            for (var comment = 1; comment <= commentsPerPost; comment++)
            {
                var id = post * 10 + comment;
                var parent = comment == 2 ? id - 1 : 0;
                items.Append($"<wp:comment><wp:comment_id>{id}</wp:comment_id><wp:comment_author>Guest {id}</wp:comment_author>" +
                    $"<wp:comment_date_gmt>2020-01-0{comment + 1} 00:00:00</wp:comment_date_gmt><wp:comment_content><![CDATA[<p>Comment {id}</p>]]></wp:comment_content>" +
                    $"<wp:comment_approved>1</wp:comment_approved><wp:comment_parent>{parent}</wp:comment_parent></wp:comment>");
            }

            items.Append("</item>");
        }

        var export = $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wp="http://wordpress.org/export/1.2/">
            <channel><wp:base_site_url>https://{site}.example</wp:base_site_url>
            {items}
            </channel></rss>
            """;
        return await (await admin.PostAsync("/api/import/wordpress", new ByteArrayContent(Encoding.UTF8.GetBytes(export))))
            .ReadAsync<ImportReport>();
    }
}
