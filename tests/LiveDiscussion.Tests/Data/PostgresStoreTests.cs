using System.Net;
using System.Net.Http.Json;
using LiveDiscussion.Contracts;
using LiveDiscussion.TestSupport;

namespace LiveDiscussion.Tests.Data;

/// <summary>The app on PostgreSQL (<c>Database:Provider=Postgres</c>), through its API as any client uses it.</summary>
public sealed class PostgresStoreTests(PostgresEmptyApp app) : IClassFixture<PostgresEmptyApp>
{
    [Fact]
    public async Task A_new_member_starts_a_thread_replies_and_reads_it_all_back_from_the_api_and_the_catch_up()
    {
        using var member = await app.MemberAsync("pat");

        var thread = await member.StartThreadAsync("On PostgreSQL", "Does it hold?");
        var first = await member.ReplyAsync(thread.Id, "First, with **Markdown**");
        var answer = await member.ReplyAsync(thread.Id, "An answer", parentReplyId: first.Id);

        var detail = await member.GetThreadAsync(thread.Id);
        Assert.Equal(("On PostgreSQL", 2L, 2), (detail.Title, detail.LatestSeq, detail.ReplyCount));
        Assert.Equal([first.Id, answer.Id], detail.Replies.Select(r => r.Id));
        Assert.Equal(first.Id, detail.Replies[1].ParentReplyId);
        Assert.Contains("<strong>Markdown</strong>", detail.Replies[0].BodyHtml);
        var caughtUp = await member.EventsAfterAsync(thread.Id, 0);
        Assert.Equal([1L, 2L], caughtUp.Events.Select(e => e.Seq));
        Assert.Equal([first.Id, answer.Id], caughtUp.Events.Select(e => e.Reply!.Id));
        Assert.Contains(thread.Id, await member.ThreadIdsAsync());
    }

    [Fact]
    public async Task Replies_sent_at_once_by_many_people_into_one_thread_are_each_stored_once_under_gap_free_seqs()
    {
        using var admin = await app.AdminAsync();
        var thread = await admin.StartThreadAsync("Everyone at once");
        var posters = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => app.MemberAsync($"poster{i}")));

        var posted = await Task.WhenAll(posters.SelectMany((poster, p) => Enumerable.Range(0, 10)
            .Select(r => poster.ReplyAsync(thread.Id, $"Poster {p}, reply {r}"))));
        // A retried send: the same clientRequestId twice at once is one reply.
        var retried = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ =>
            posters[0].PostReplyAsync(thread.Id, "Sent twice", clientRequestId: "twice-1")));

        var twice = await Task.WhenAll(retried.Select(response => response.ReadAsync<ReplyDto>()));
        Assert.Equal(twice[0].Id, twice[1].Id);
        var replyIds = posted.Select(reply => reply.Id).Append(twice[0].Id).ToList();
        Assert.Equal(81, replyIds.Distinct().Count());
        var log = await admin.EventsAfterAsync(thread.Id, 0);
        Assert.Equal(Enumerable.Range(1, 81).Select(seq => (long)seq), log.Events.Select(e => e.Seq));
        Assert.Equal(replyIds.Order(), log.Events.Select(e => e.Reply!.Id).Order());
        var detail = await admin.GetThreadAsync(thread.Id);
        Assert.Equal((81L, 81), (detail.LatestSeq, detail.ReplyCount));
        foreach (var poster in posters)
        {
            poster.Dispose();
        }
    }

    [Fact]
    public async Task A_closed_thread_refuses_replies_and_its_close_is_the_next_seq()
    {
        using var admin = await app.AdminAsync();
        using var member = await app.MemberAsync();
        var thread = await admin.StartThreadAsync("Closing soon");
        await member.ReplyAsync(thread.Id, "Before the close");

        (await admin.PostAsJsonAsync($"/api/threads/{thread.Id}/close", new CloseThreadRequest("Done"))).EnsureSuccessStatusCode();

        await (await member.PostReplyAsync(thread.Id, "Too late")).ShouldBeProblemAsync(HttpStatusCode.Conflict, "closed");
        var log = await admin.EventsAfterAsync(thread.Id, 0);
        Assert.Equal([(1L, ThreadEventTypes.ReplyPosted), (2L, ThreadEventTypes.ThreadClosed)],
            log.Events.Select(e => (e.Seq, e.Type)));
    }
}

/// <summary>What a restart keeps on PostgreSQL: the data and the Data Protection keys behind a sign-in.</summary>
public sealed class PostgresRestartTests : IDisposable
{
    // Its own app, not a shared one: the test restarts it.
    private TestApp _app = new(seedDemo: false, store: TestStore.Postgres());

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Threads_replies_and_sign_ins_survive_a_restart()
    {
        var member = await _app.MemberAsync("keeper");
        var thread = await member.StartThreadAsync("Kept", "Across restarts");
        var reply = await member.ReplyAsync(thread.Id, "Still here?");
        var token = member.DefaultRequestHeaders.Authorization;
        member.Dispose();

        _app = _app.Restart();

        using var sameToken = _app.Anonymous();
        sameToken.DefaultRequestHeaders.Authorization = token;
        var detail = await sameToken.GetThreadAsync(thread.Id);
        Assert.Equal(("Kept", 1L), (detail.Title, detail.LatestSeq));
        Assert.Equal(reply.Id, detail.Replies.Single().Id);
        var next = await sameToken.ReplyAsync(thread.Id, "Yes, and my sign-in too");
        Assert.Equal(2, (await sameToken.EventsAfterAsync(thread.Id, 1)).Events.Single(e => e.Reply!.Id == next.Id).Seq);
    }
}
