using System.Net;
using System.Net.Http.Json;
using LiveDiscussion.Contracts;
using LiveDiscussion.Tests.Realtime;
using LiveDiscussion.TestSupport;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.SignalR;

namespace LiveDiscussion.Tests.Moderation;

public sealed class SuspensionTests(EmptyApp app) : IClassFixture<EmptyApp>
{
    [Fact]
    public async Task A_suspension_cuts_write_access_on_a_connection_opened_before_it_and_reading_goes_on()
    {
        using var troll = await app.MemberAsync();
        using var admin = await app.AdminAsync();
        var thread = await troll.StartThreadAsync();
        var first = await troll.ReplyAsync(thread.Id, "before the suspension");
        await using var hub = await HubWatcher.ConnectAsync(app, troll);
        await hub.WatchAsync(thread.Id);
        var until = new DateTimeOffset(2099, 1, 2, 3, 4, 0, TimeSpan.Zero);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsJsonAsync(
            $"/api/users/{first.Author.UserId}/suspend", new SuspendUserRequest(until, "Repeated insults"))).StatusCode);

        var refused = await Assert.ThrowsAsync<HubException>(() => hub.Connection.InvokeAsync<ReplyDto>(
            DiscussionHubContract.PostReply, new PostReplyRequest(thread.Id, null, "one more insult")));
        Assert.Contains("suspended until 2 January 2099 03:04 UTC: Repeated insults", refused.Message);
        await (await troll.PostReplyAsync(thread.Id, "via the API then"))
            .ShouldBeProblemAsync(HttpStatusCode.Forbidden, "Your account is suspended until 2 January 2099");
        await (await troll.PutAsJsonAsync($"/api/replies/{first.Id}", new EditReplyRequest("edited")))
            .ShouldBeProblemAsync(HttpStatusCode.Forbidden, "suspended");
        Assert.Equal("before the suspension", (await troll.GetThreadAsync(thread.Id)).Replies.Single().Body);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync($"/api/users/{first.Author.UserId}/unsuspend", null)).StatusCode);
        var after = await hub.Connection.InvokeAsync<ReplyDto>(
            DiscussionHubContract.PostReply, new PostReplyRequest(thread.Id, null, "I'll behave"));
        Assert.Equal("I'll behave", after.Body);
    }

    [Fact]
    public async Task An_indefinite_suspension_says_so_and_only_moderators_may_suspend()
    {
        using var member = await app.MemberAsync();
        using var other = await app.MemberAsync();
        using var admin = await app.AdminAsync();
        var thread = await member.StartThreadAsync();
        var reply = await member.ReplyAsync(thread.Id, "hello");
        var memberId = reply.Author.UserId!;

        await (await other.PostAsJsonAsync($"/api/users/{memberId}/suspend", new SuspendUserRequest(null, "I say so")))
            .ShouldBeProblemAsync(HttpStatusCode.Forbidden, "Only moderators can suspend people.");
        await (await admin.PostAsJsonAsync($"/api/users/{memberId}/suspend", new SuspendUserRequest(DateTimeOffset.UtcNow.AddMinutes(-1), null)))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "has to end in the future");
        await (await admin.PostAsJsonAsync("/api/users/nobody/suspend", new SuspendUserRequest(null, null)))
            .ShouldBeProblemAsync(HttpStatusCode.NotFound, "User not found");
        await (await admin.PostAsync($"/api/users/{memberId}/unsuspend", null))
            .ShouldBeProblemAsync(HttpStatusCode.Conflict, "not suspended");
        await member.ReplyAsync(thread.Id, "still allowed");

        (await admin.PostAsJsonAsync($"/api/users/{memberId}/suspend", new SuspendUserRequest(null, null))).EnsureSuccessStatusCode();

        await (await member.PostReplyAsync(thread.Id, "and now?"))
            .ShouldBeProblemAsync(HttpStatusCode.Forbidden, "Your account is suspended until further notice. You can still read.");
        Assert.Equal(2, (await member.GetThreadAsync(thread.Id)).Replies.Count);
    }

    [Fact]
    public async Task Replies_sent_at_the_same_moment_are_each_judged_by_their_own_author()
    {
        using var admin = await app.AdminAsync();
        using var troll = await app.MemberAsync("Troll");
        using var louise = await app.MemberAsync("Louise");
        using var julia = await app.MemberAsync("Julia");
        var thread = await admin.StartThreadAsync();
        var senders = new[] { ("Troll", troll), ("Louise", louise), ("Julia", julia), ("Admin", admin) };
        var authors = new Dictionary<string, AuthorDto>();
        foreach (var (name, client) in senders)
        {
            authors[name] = (await client.ReplyAsync(thread.Id, $"{name} first")).Author;
        }

        (await admin.PostAsJsonAsync($"/api/users/{authors["Troll"].UserId}/suspend", new SuspendUserRequest(null, "Spam")))
            .EnsureSuccessStatusCode();

        // Sent together, so the writer stores many of them in shared transactions, which read all their authors at once.
        var sends = Enumerable.Range(1, 10)
            .SelectMany(round => senders.Select(sender => (Name: sender.Item1,
                Response: sender.Item2.PostReplyAsync(thread.Id, $"{sender.Item1} {round}"))))
            .ToList();
        await Task.WhenAll(sends.Select(send => send.Response));

        foreach (var send in sends)
        {
            var response = await send.Response;
            if (send.Name == "Troll")
            {
                await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "Your account is suspended until further notice: Spam");
            }
            else
            {
                Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            }
        }

        var stored = (await louise.GetThreadAsync(thread.Id)).Replies;
        Assert.Equal(4 + 30, stored.Count);
        Assert.Equal("Troll first", stored.Single(reply => reply.Author == authors["Troll"]).Body);
        Assert.All(stored, reply => Assert.Equal(authors[reply.Body.Split(' ')[0]], reply.Author));
    }
}
