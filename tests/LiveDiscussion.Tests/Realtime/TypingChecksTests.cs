using System.Net.Http.Json;
using LiveDiscussion.Contracts;
using LiveDiscussion.TestSupport;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace LiveDiscussion.Tests.Realtime;

public sealed class TypingChecksTests(EmptyApp app) : IClassFixture<EmptyApp>
{
    [Fact]
    public async Task A_suspended_person_cannot_signal_typing_and_nobody_sees_them_type()
    {
        using var admin = await app.AdminAsync();
        using var typist = await app.MemberAsync("typist");
        var thread = await admin.StartThreadAsync("Typing", "Type away.");
        var theirs = await typist.ReplyAsync(thread.Id, "before the suspension");
        (await admin.PostAsJsonAsync($"/api/users/{theirs.Author.UserId}/suspend", new SuspendUserRequest(null, "Cooling off"), Api.Json))
            .EnsureSuccessStatusCode();
        await using var reader = await HubWatcher.ConnectAsync(app);
        await reader.WatchAsync(thread.Id);
        await using var hub = await HubWatcher.ConnectAsync(app, typist);
        await hub.WatchAsync(thread.Id);

        var refused = await Assert.ThrowsAsync<HubException>(() =>
            hub.Connection.InvokeAsync(DiscussionHubContract.SetTyping, thread.Id, (long?)null, true));

        Assert.Contains("Your account is suspended", refused.Message);
        await Task.Delay(600);
        Assert.DoesNotContain(reader.Typing, t => t.Typists.Count > 0);
    }

    [Fact]
    public async Task Typing_in_answer_to_a_reply_of_another_thread_is_refused()
    {
        using var member = await app.MemberAsync("crossposter");
        var here = await member.StartThreadAsync("Here", "Here.");
        var elsewhere = await member.StartThreadAsync("Elsewhere", "There.");
        var foreign = await member.ReplyAsync(elsewhere.Id, "a reply over there");
        var local = await member.ReplyAsync(here.Id, "a reply here");
        await using var hub = await HubWatcher.ConnectAsync(app, member);
        await hub.WatchAsync(here.Id);

        var refused = await Assert.ThrowsAsync<HubException>(() =>
            hub.Connection.InvokeAsync(DiscussionHubContract.SetTyping, here.Id, (long?)foreign.Id, true));

        Assert.EndsWith("The reply you are answering is not in this thread.", refused.Message);
        await hub.Connection.InvokeAsync(DiscussionHubContract.SetTyping, here.Id, (long?)local.Id, true);
    }
}
