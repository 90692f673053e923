using System.Net.Http.Json;
using LiveDiscussion.Contracts;
using LiveDiscussion.TestSupport;

namespace LiveDiscussion.Tests.Data;

public sealed class PersistenceTests : IDisposable
{
    // Its own app, not a shared one: the test restarts it.
    private TestApp _app = new(seedDemo: false);

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Threads_replies_accounts_and_sign_ins_survive_a_restart()
    {
        var email = $"keeper-{Guid.NewGuid():N}@test.example";
        using (var anonymous = _app.Anonymous())
        {
            (await anonymous.PostAsJsonAsync("/api/auth/register", new { email, password = "keeper-password" })).EnsureSuccessStatusCode();
        }

        var member = await _app.SignedInAsync(email, "keeper-password");
        var thread = await member.StartThreadAsync("Kept", "Across restarts");
        var reply = await member.ReplyAsync(thread.Id, "Still here?");
        var token = member.DefaultRequestHeaders.Authorization;
        member.Dispose();

        _app = _app.Restart();

        using var sameToken = _app.Anonymous();
        sameToken.DefaultRequestHeaders.Authorization = token;
        var detail = await sameToken.GetThreadAsync(thread.Id);
        Assert.Equal("Kept", detail.Title);
        Assert.Equal(reply.Id, detail.Replies.Single().Id);
        Assert.Equal(1, detail.LatestSeq);

        var next = await sameToken.ReplyAsync(thread.Id, "Yes, and my sign-in too");
        Assert.Equal(next.Id, (await sameToken.GetThreadAsync(thread.Id)).Replies.Last().Id);
        Assert.Equal(2, (await sameToken.EventsAfterAsync(thread.Id, 1)).Events.Single().Seq);
    }
}
