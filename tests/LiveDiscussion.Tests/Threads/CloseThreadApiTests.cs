using System.Net;
using System.Net.Http.Json;
using LiveDiscussion.Contracts;
using LiveDiscussion.Tests.Realtime;
using LiveDiscussion.TestSupport;
using LiveDiscussion.Web.Features.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;

namespace LiveDiscussion.Tests.Threads;

public sealed class CloseThreadApiTests(EmptyApp app) : IClassFixture<EmptyApp>
{
    [Fact]
    public async Task A_moderator_closes_with_a_reason_and_reopens()
    {
        using var member = await app.MemberAsync();
        using var admin = await app.AdminAsync();
        var thread = await member.StartThreadAsync();

        Assert.Equal(HttpStatusCode.NoContent,
            (await admin.PostAsJsonAsync($"/api/threads/{thread.Id}/close", new CloseThreadRequest("  Resolved  "))).StatusCode);
        var closed = await member.GetThreadAsync(thread.Id);
        Assert.Equal(ThreadState.Closed, closed.State);
        Assert.Equal("Resolved", closed.CloseReason);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync($"/api/threads/{thread.Id}/reopen", null)).StatusCode);
        var reopened = await member.GetThreadAsync(thread.Id);
        Assert.Equal(ThreadState.Open, reopened.State);
        Assert.Null(reopened.CloseReason);
        await member.ReplyAsync(thread.Id, "Open again");
    }

    [Fact]
    public async Task Members_and_signed_out_readers_cannot_close_or_reopen()
    {
        using var member = await app.MemberAsync();
        using var anonymous = app.Anonymous();
        var thread = await member.StartThreadAsync();

        await (await member.PostAsJsonAsync($"/api/threads/{thread.Id}/close", new CloseThreadRequest(null)))
            .ShouldBeProblemAsync(HttpStatusCode.Forbidden, "Only moderators can close threads.");
        await (await anonymous.PostAsJsonAsync($"/api/threads/{thread.Id}/close", new CloseThreadRequest(null)))
            .ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "Sign in");
        await (await member.PostAsync($"/api/threads/{thread.Id}/reopen", null))
            .ShouldBeProblemAsync(HttpStatusCode.Forbidden, "Only moderators can reopen threads.");

        var detail = await member.GetThreadAsync(thread.Id);
        Assert.Equal(ThreadState.Open, detail.State);
        Assert.Equal(0, detail.LatestSeq);
    }

    [Fact]
    public async Task Closing_twice_is_409_and_a_reason_over_500_characters_is_400()
    {
        using var member = await app.MemberAsync();
        using var admin = await app.AdminAsync();
        var thread = await member.StartThreadAsync();

        await (await admin.PostAsJsonAsync($"/api/threads/{thread.Id}/close", new CloseThreadRequest(new string('r', 501))))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "at most 500 characters");
        Assert.Equal(ThreadState.Open, (await member.GetThreadAsync(thread.Id)).State);

        (await admin.PostAsJsonAsync($"/api/threads/{thread.Id}/close", new CloseThreadRequest(null))).EnsureSuccessStatusCode();
        await (await admin.PostAsJsonAsync($"/api/threads/{thread.Id}/close", new CloseThreadRequest("again")))
            .ShouldBeProblemAsync(HttpStatusCode.Conflict, "already closed");
        await (await admin.PostAsync("/api/threads/4242/close", null)).ShouldBeProblemAsync(HttpStatusCode.NotFound, "Thread not found");
        Assert.Equal(1, (await member.GetThreadAsync(thread.Id)).LatestSeq);
    }

    [Fact]
    public async Task Taking_away_the_moderator_role_counts_from_the_next_action_even_on_a_connection_opened_before()
    {
        var mira = await app.AccountAsync("Mira", "Moderator");
        using var moderator = await app.SignedInAsync(mira.Email!, TestApp.AccountPassword);
        using var member = await app.MemberAsync();
        var thread = await member.StartThreadAsync();
        await using var hub = await HubWatcher.ConnectAsync(app, moderator);
        await hub.Connection.InvokeAsync(DiscussionHubContract.CloseThread, thread.Id, "first close");
        await hub.Connection.InvokeAsync(DiscussionHubContract.ReopenThread, thread.Id);

        using (var scope = app.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            await users.RemoveFromRoleAsync((await users.FindByIdAsync(mira.Id))!, "Moderator");
        }

        var refused = await Assert.ThrowsAsync<HubException>(() =>
            hub.Connection.InvokeAsync(DiscussionHubContract.CloseThread, thread.Id, "second close"));
        Assert.Contains("Only moderators can close threads.", refused.Message);
        await (await moderator.PostAsJsonAsync($"/api/threads/{thread.Id}/close", new CloseThreadRequest(null)))
            .ShouldBeProblemAsync(HttpStatusCode.Forbidden, "Only moderators can close threads.");
        Assert.Equal(ThreadState.Open, (await member.GetThreadAsync(thread.Id)).State);
    }
}
