using System.Net;
using System.Net.Http.Json;
using LiveDiscussion.Contracts;
using LiveDiscussion.Tests.Realtime;
using LiveDiscussion.TestSupport;
using LiveDiscussion.Web.Features.Accounts;
using LiveDiscussion.Web.Features.Threads;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace LiveDiscussion.Tests.RateLimits;

public sealed class PostingLimitsTests(LimitedApp app) : IClassFixture<LimitedApp>
{
    [Fact]
    public async Task A_new_member_past_their_replies_gets_429_with_retry_after_and_nothing_is_stored()
    {
        using var admin = await app.AdminAsync();
        var thread = await admin.StartThreadAsync("Limits", "Post away.");
        // Held for approval, the newcomer's replies stay unpublished: they stay a new member throughout.
        (await admin.PutAsJsonAsync($"/api/threads/{thread.Id}/moderation", new ApprovalSettingsDto(true), Api.Json)).EnsureSuccessStatusCode();
        using var newcomer = await app.MemberAsync("newcomer");

        for (var i = 0; i < LimitedApp.NewMemberReplies; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await newcomer.PostReplyAsync(thread.Id, $"reply {i}")).StatusCode);
        }

        var refused = await newcomer.PostReplyAsync(thread.Id, "one too many");
        var problem = await refused.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests,
            $"New members can post {LimitedApp.NewMemberReplies} replies every {LimitedApp.WindowSeconds} seconds. Try again in ");
        var retryAfter = int.Parse(refused.Headers.GetValues("Retry-After").Single());
        Assert.InRange(retryAfter, 1, LimitedApp.WindowSeconds);
        Assert.Equal(retryAfter, problem.GetProperty("retryAfter").GetInt32());
        Assert.Contains($"Try again in {retryAfter} second", problem.GetProperty("detail").GetString());
        Assert.Equal(LimitedApp.NewMemberReplies, (await admin.GetThreadAsync(thread.Id)).Replies.Count);
    }

    [Fact]
    public async Task A_member_with_a_published_reply_gets_the_members_allowance_and_a_moderator_none()
    {
        using var admin = await app.AdminAsync();
        var thread = await admin.StartThreadAsync("Members", "Post away.");
        using var regular = await app.MemberAsync("regular");

        var accepted = 0;
        HttpResponseMessage response;
        while ((response = await regular.PostReplyAsync(thread.Id, $"reply {accepted}")).StatusCode == HttpStatusCode.Created)
        {
            accepted++;
            Assert.True(accepted <= LimitedApp.MemberReplies, "the member's allowance was never reached");
        }

        // The first reply, as a new member, counts towards the same window.
        Assert.Equal(LimitedApp.MemberReplies, accepted);
        await response.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests,
            $"You can post {LimitedApp.MemberReplies} replies every {LimitedApp.WindowSeconds} seconds. Try again in ");

        for (var i = 0; i < LimitedApp.MemberReplies * 3; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await admin.PostReplyAsync(thread.Id, $"moderator {i}")).StatusCode);
        }
    }

    [Fact]
    public async Task The_limit_holds_on_the_hub_with_the_same_sentence_and_on_the_page_with_the_service_it_calls()
    {
        using var admin = await app.AdminAsync();
        var thread = await admin.StartThreadAsync("Hub limits", "Post away.");
        (await admin.PutAsJsonAsync($"/api/threads/{thread.Id}/moderation", new ApprovalSettingsDto(true), Api.Json)).EnsureSuccessStatusCode();
        using var newcomer = await app.MemberAsync("hubposter");
        await using var hub = await HubWatcher.ConnectAsync(app, newcomer);
        for (var i = 0; i < LimitedApp.NewMemberReplies; i++)
        {
            await hub.Connection.InvokeAsync<ReplyDto>(DiscussionHubContract.PostReply, new PostReplyRequest(thread.Id, null, $"hub {i}"));
        }

        var refused = await Assert.ThrowsAsync<HubException>(() =>
            hub.Connection.InvokeAsync<ReplyDto>(DiscussionHubContract.PostReply, new PostReplyRequest(thread.Id, null, "too many")));
        Assert.Matches(@"New members can post 2 replies every 5 seconds\. Try again in \d seconds?\.$", refused.Message);

        // A page posts through ThreadSession, which calls the same service: the same person, the same allowance.
        var pagePoster = await app.PrincipalAsync("pageposter");
        var replies = app.Service<LiveDiscussion.Web.Features.Replies.ReplyService>();
        for (var i = 0; i < LimitedApp.NewMemberReplies; i++)
        {
            await replies.PostAsync(pagePoster, new PostReplyRequest(thread.Id, null, $"page {i}"));
        }

        var onPage = await Assert.ThrowsAsync<LiveDiscussion.Web.Infrastructure.DiscussionProblem>(() =>
            replies.PostAsync(pagePoster, new PostReplyRequest(thread.Id, null, "page too many")));
        Assert.NotNull(onPage.RetryAfter);
        Assert.Equal(2 * LimitedApp.NewMemberReplies, (await admin.GetThreadAsync(thread.Id)).Replies.Count);
    }

    [Fact]
    public async Task A_new_member_starts_one_thread_in_the_window_and_the_second_is_refused_unstored()
    {
        using var newcomer = await app.MemberAsync("starter");
        await newcomer.StartThreadAsync("My first", "Hello.");
        var before = await newcomer.ThreadIdsAsync();

        var refused = await newcomer.PostAsJsonAsync("/api/threads", new CreateThreadRequest("My second", "Again."), Api.Json);

        await refused.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests, "New members can start 1 thread a minute. Try again in ");
        Assert.True(refused.Headers.RetryAfter is not null);
        Assert.Equal(before, await newcomer.ThreadIdsAsync());
    }

    [Fact]
    public async Task A_flood_of_hub_calls_is_refused_on_that_connection_alone()
    {
        using var admin = await app.AdminAsync();
        var thread = await admin.StartThreadAsync("Flood", "Calm.");
        using var flooder = await app.MemberAsync("flooder");
        await using var flooding = await HubWatcher.ConnectAsync(app, flooder);
        await using var neighbour = await HubWatcher.ConnectAsync(app);

        for (var i = 0; i < LimitedApp.HubCalls; i++)
        {
            await flooding.WatchAsync(thread.Id);
        }

        var refused = await Assert.ThrowsAsync<HubException>(() => flooding.WatchAsync(thread.Id));
        Assert.Contains("Too many calls on this connection", refused.Message);
        Assert.Contains("Try again in", refused.Message);
        Assert.Equal(thread.Id, (await neighbour.WatchAsync(thread.Id)).ThreadId);
    }

    [Fact]
    public async Task A_post_sent_again_before_its_retry_after_is_refused_unread_after_a_pause()
    {
        using var admin = await app.AdminAsync();
        var thread = await admin.StartThreadAsync("Impatient", "Post away.");
        (await admin.PutAsJsonAsync($"/api/threads/{thread.Id}/moderation", new ApprovalSettingsDto(true), Api.Json)).EnsureSuccessStatusCode();
        using var looper = await app.MemberAsync("looper");
        for (var i = 0; i < LimitedApp.NewMemberReplies; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await looper.PostReplyAsync(thread.Id, $"reply {i}")).StatusCode);
        }

        await (await looper.PostReplyAsync(thread.Id, "refused")).ShouldBeProblemAsync(
            HttpStatusCode.TooManyRequests, "New members can post 2 replies every 5 seconds. Try again in ");

        // Sent again at once, with a body the API would refuse with 400 had it read it: the answer is still the 429,
        // so it came before the body was read, and only after the pause.
        var again = System.Diagnostics.Stopwatch.StartNew();
        using var unreadable = new StringContent("{ not json", System.Text.Encoding.UTF8, "application/json");
        var repeated = await looper.PostAsync($"/api/threads/{thread.Id}/replies", unreadable);
        again.Stop();

        await repeated.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests, "New members can post 2 replies every 5 seconds. Try again in ");
        Assert.NotNull(repeated.Headers.RetryAfter);
        Assert.True(again.Elapsed >= LimitedApp.RepeatRefusalDelay - TimeSpan.FromMilliseconds(20),
            $"the repeat was answered after {again.Elapsed.TotalMilliseconds:0} ms");
        Assert.Equal(LimitedApp.NewMemberReplies, (await admin.GetThreadAsync(thread.Id)).Replies.Count);
    }

    [Fact]
    public async Task A_hub_connection_that_keeps_calling_after_its_refusals_is_closed()
    {
        using var admin = await app.AdminAsync();
        var thread = await admin.StartThreadAsync("Closing flood", "Calm.");
        using var flooder = await app.MemberAsync("relentless");
        await using var flooding = await HubWatcher.ConnectAsync(app, flooder);
        var closed = new TaskCompletionSource();
        flooding.Connection.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };

        for (var i = 0; i < LimitedApp.HubCalls; i++)
        {
            await flooding.WatchAsync(thread.Id);
        }

        for (var i = 0; i < LimitedApp.HubCalls; i++)
        {
            var told = await Assert.ThrowsAsync<HubException>(() => flooding.WatchAsync(thread.Id));
            Assert.Contains("Too many calls on this connection", told.Message);
        }

        await Assert.ThrowsAnyAsync<Exception>(() => flooding.WatchAsync(thread.Id));
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(HubConnectionState.Disconnected, flooding.Connection.State);
    }
}
