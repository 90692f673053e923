using System.Net;
using System.Net.Http.Json;
using LiveDiscussion.Contracts;
using LiveDiscussion.Tests.Realtime;
using LiveDiscussion.TestSupport;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace LiveDiscussion.Tests.Threads;

/// <summary>On the shared app, whose rate limits are off: slow mode, which moderators set, holds all the same.</summary>
public sealed class SlowModeTests(EmptyApp app) : IClassFixture<EmptyApp>
{
    private static Task<HttpResponseMessage> SetAsync(HttpClient client, long threadId, int seconds, int? forMinutes = null) =>
        client.PutAsJsonAsync($"/api/threads/{threadId}/slow-mode", new SlowModeRequest(seconds, forMinutes), Api.Json);

    [Fact]
    public async Task A_moderator_switches_it_on_watchers_hear_it_and_a_second_reply_too_soon_gets_429_until_it_is_off()
    {
        using var admin = await app.AdminAsync();
        using var writer = await app.MemberAsync("writer");
        var thread = await admin.StartThreadAsync("Heated", "Slow down.");
        await using var watcher = await HubWatcher.ConnectAsync(app);
        await watcher.WatchAsync(thread.Id);

        Assert.Equal(HttpStatusCode.NoContent, (await SetAsync(admin, thread.Id, 30)).StatusCode);

        await HubWatcher.EventuallyAsync(() => watcher.Events.Any(e => e.Type == ThreadEventTypes.ThreadSlowMode), "the slow-mode event");
        var announced = watcher.Events.Single(e => e.Type == ThreadEventTypes.ThreadSlowMode);
        Assert.Equal(30, announced.SlowModeSeconds);
        Assert.Null(announced.SlowModeUntil);
        Assert.Equal(30, (await writer.GetThreadAsync(thread.Id)).SlowModeSeconds);
        Assert.Equal(30, (await writer.EventsAfterAsync(thread.Id, 0)).Events.Single().SlowModeSeconds);

        Assert.Equal(HttpStatusCode.Created, (await writer.PostReplyAsync(thread.Id, "first")).StatusCode);
        var refused = await writer.PostReplyAsync(thread.Id, "second, too soon");
        await refused.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests,
            "This thread is in slow mode: one reply every 30 seconds. Try again in ");
        Assert.InRange(int.Parse(refused.Headers.GetValues("Retry-After").Single()), 25, 30);
        // Moderators are not slowed.
        Assert.Equal(HttpStatusCode.Created, (await admin.PostReplyAsync(thread.Id, "moderator one")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostReplyAsync(thread.Id, "moderator two")).StatusCode);
        Assert.Equal(3, (await writer.GetThreadAsync(thread.Id)).ReplyCount);

        Assert.Equal(HttpStatusCode.NoContent, (await SetAsync(admin, thread.Id, 0)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await writer.PostReplyAsync(thread.Id, "second, now")).StatusCode);
        Assert.Equal(0, (await writer.GetThreadAsync(thread.Id)).SlowModeSeconds);
    }

    [Fact]
    public async Task Replies_sent_at_once_cannot_slip_through_together()
    {
        using var admin = await app.AdminAsync();
        using var writer = await app.MemberAsync("burst");
        var thread = await admin.StartThreadAsync("Burst", "Slow.");
        (await SetAsync(admin, thread.Id, 60)).EnsureSuccessStatusCode();

        var sent = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => writer.PostReplyAsync(thread.Id, $"burst {i}")));

        Assert.Equal(1, sent.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(9, sent.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests));
        Assert.Equal(1, (await writer.GetThreadAsync(thread.Id)).ReplyCount);
    }

    [Fact]
    public async Task For_minutes_gives_it_an_end_and_the_hub_sets_it_for_moderators_only()
    {
        using var admin = await app.AdminAsync();
        using var member = await app.MemberAsync("notmod");
        var thread = await admin.StartThreadAsync("Timed", "Slow for a while.");
        await using var moderatorHub = await HubWatcher.ConnectAsync(app, admin);
        await using var memberHub = await HubWatcher.ConnectAsync(app, member);

        var before = DateTimeOffset.UtcNow;
        await moderatorHub.Connection.InvokeAsync(DiscussionHubContract.SetSlowMode, thread.Id, 10, (int?)15);

        var shown = await member.GetThreadAsync(thread.Id);
        Assert.Equal(10, shown.SlowModeSeconds);
        Assert.InRange(shown.SlowModeUntil!.Value, before.AddMinutes(15).AddSeconds(-5), DateTimeOffset.UtcNow.AddMinutes(15).AddSeconds(5));
        var refused = await Assert.ThrowsAsync<HubException>(() =>
            memberHub.Connection.InvokeAsync(DiscussionHubContract.SetSlowMode, thread.Id, 0, (int?)null));
        Assert.EndsWith("Only moderators can set slow mode.", refused.Message);
        await (await SetAsync(member, thread.Id, 0)).ShouldBeProblemAsync(HttpStatusCode.Forbidden, "Only moderators can set slow mode.");
        await (await SetAsync(admin, thread.Id, -1)).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "seconds must be between 0");
        await (await SetAsync(admin, thread.Id, 10, 0)).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "forMinutes must be between 1");
        Assert.Equal(10, (await member.GetThreadAsync(thread.Id)).SlowModeSeconds);
    }
}
