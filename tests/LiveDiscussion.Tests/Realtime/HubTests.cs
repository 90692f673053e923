using System.Collections.Concurrent;
using System.Net.Http.Json;
using LiveDiscussion.Contracts;
using LiveDiscussion.TestSupport;
using LiveDiscussion.Web.Realtime;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;

namespace LiveDiscussion.Tests.Realtime;

public sealed class HubTests(EmptyApp app) : IClassFixture<EmptyApp>, IAsyncLifetime
{
    private readonly List<HubWatcher> _watchers = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var watcher in _watchers)
        {
            await watcher.DisposeAsync();
        }
    }

    private async Task<HubWatcher> ConnectAsync(HttpClient? signedIn = null, bool messagePack = false)
    {
        var watcher = await HubWatcher.ConnectAsync(app, signedIn, messagePack);
        _watchers.Add(watcher);
        return watcher;
    }

    [Fact]
    public async Task Replies_posted_through_the_api_reach_every_watcher_exactly_once_in_seq_order()
    {
        using var member = await app.MemberAsync();
        var thread = await member.StartThreadAsync();
        var watchers = new[]
        {
            await ConnectAsync(),
            await ConnectAsync(member),
            await ConnectAsync(messagePack: true),
        };
        foreach (var watcher in watchers)
        {
            Assert.Empty((await watcher.WatchAsync(thread.Id)).Events);
        }

        var posted = new List<ReplyDto>();
        for (var i = 1; i <= 5; i++)
        {
            posted.Add(await member.ReplyAsync(thread.Id, $"reply {i}"));
        }

        foreach (var watcher in watchers)
        {
            await HubWatcher.EventuallyAsync(() => watcher.Events.Count >= 5, "five events");
            await Task.Delay(100);
            var events = watcher.Events.ToList();
            Assert.Equal([1L, 2, 3, 4, 5], events.Select(e => e.Seq).Order());
            Assert.Equal(posted.Select(r => r.Id), events.OrderBy(e => e.Seq).Select(e => e.Reply!.Id));
            Assert.All(events, e => Assert.Equal(ThreadEventTypes.ReplyPosted, e.Type));
            Assert.Equal("reply 3", events.Single(e => e.Seq == 3).Reply!.Body);
        }
    }

    [Fact]
    public async Task When_another_nodes_link_to_redis_is_back_watchers_here_catch_up_what_it_stored_meanwhile()
    {
        // A node that could not reach Redis stored replies it could not send, while this node's watchers stayed live
        // and were never told to pause: its resume, heard here, is their cue to catch up. This node's own resume is
        // told to its watchers by itself, once.
        using var member = await app.MemberAsync();
        var thread = await member.StartThreadAsync();
        var watcher = await ConnectAsync();
        await watcher.FollowAsync(thread.Id);
        var dispatcher = app.Services.GetRequiredService<NodeDispatcher>();

        await dispatcher.ReceiveAsync(new LinkRestored(app.Services.GetRequiredService<NodeIdentity>().Id));
        await dispatcher.ReceiveAsync(new LinkRestored("another-node"));

        await HubWatcher.EventuallyAsync(() => !watcher.LiveStatuses.IsEmpty, "the watcher to be told to catch up");
        await Task.Delay(300);
        Assert.False(Assert.Single(watcher.LiveStatuses).Paused);
    }

    [Fact]
    public async Task Edits_deletions_hides_and_closes_arrive_live_too()
    {
        using var member = await app.MemberAsync();
        using var admin = await app.AdminAsync();
        var thread = await member.StartThreadAsync();
        var first = await member.ReplyAsync(thread.Id, "first");
        var second = await member.ReplyAsync(thread.Id, "second");
        var watcher = await ConnectAsync();
        await watcher.WatchAsync(thread.Id, afterSeq: 2);
        var moderator = await ConnectAsync(admin);

        await member.PutAsJsonAsync($"/api/replies/{first.Id}", new EditReplyRequest("first, edited"));
        await member.DeleteAsync($"/api/replies/{first.Id}");
        await moderator.Connection.InvokeAsync(DiscussionHubContract.HideReply, second.Id, "Off topic");
        await moderator.Connection.InvokeAsync(DiscussionHubContract.CloseThread, thread.Id, "Done here");

        await HubWatcher.EventuallyAsync(() => watcher.Events.Count >= 4, "four events");
        var events = watcher.Events.OrderBy(e => e.Seq).ToList();
        Assert.Equal([3L, 4, 5, 6], events.Select(e => e.Seq));
        Assert.Equal(
            [ThreadEventTypes.ReplyEdited, ThreadEventTypes.ReplyDeleted, ThreadEventTypes.ReplyHidden, ThreadEventTypes.ThreadClosed],
            events.Select(e => e.Type));
        Assert.Equal("first, edited", events[0].Reply!.Body);
        Assert.Equal(ReplyState.Deleted, events[1].Reply!.State);
        Assert.Equal("", events[1].Reply!.Body);
        Assert.Equal(ReplyState.Hidden, events[2].Reply!.State);
        Assert.Equal("Off topic", events[2].Reply!.HiddenReason);
        Assert.Equal("Done here", events[3].Reason);
        Assert.Equal("Admin", events[3].Actor);
    }

    [Fact]
    public async Task A_watcher_that_reconnects_gets_exactly_the_events_it_missed()
    {
        using var member = await app.MemberAsync();
        var thread = await member.StartThreadAsync();
        var watcher = await ConnectAsync();
        await watcher.WatchAsync(thread.Id);
        await member.ReplyAsync(thread.Id, "seen 1");
        await member.ReplyAsync(thread.Id, "seen 2");
        await HubWatcher.EventuallyAsync(() => watcher.Events.Count == 2, "the first two events");
        var lastSeen = watcher.Events.Max(e => e.Seq);
        await watcher.Connection.StopAsync();

        for (var i = 3; i <= 5; i++)
        {
            await member.ReplyAsync(thread.Id, $"missed {i}");
        }

        await watcher.Connection.StartAsync();
        var catchUp = await watcher.WatchAsync(thread.Id, lastSeen);

        Assert.False(catchUp.Truncated);
        Assert.Equal(5, catchUp.LatestSeq);
        Assert.Equal([3L, 4, 5], catchUp.Events.Select(e => e.Seq));
        Assert.Equal(["missed 3", "missed 4", "missed 5"], catchUp.Events.Select(e => e.Reply!.Body));
    }

    [Fact]
    public async Task Hub_replies_are_stored_once_per_client_request_id_and_seen_by_watchers()
    {
        using var member = await app.MemberAsync();
        var thread = await member.StartThreadAsync();
        var writer = await ConnectAsync(member, messagePack: true);
        var watcher = await ConnectAsync();
        await watcher.WatchAsync(thread.Id);

        var request = new PostReplyRequest(thread.Id, null, "sent twice by a flaky network", "retry-1");
        var first = await writer.Connection.InvokeAsync<ReplyDto>(DiscussionHubContract.PostReply, request);
        var retry = await writer.Connection.InvokeAsync<ReplyDto>(DiscussionHubContract.PostReply, request);

        Assert.Equal(first.Id, retry.Id);
        Assert.Single((await member.GetThreadAsync(thread.Id)).Replies);
        await HubWatcher.EventuallyAsync(() => watcher.Events.Count == 1, "the reply");
        await Task.Delay(200);
        Assert.Single(watcher.Events);
    }

    [Fact]
    public async Task Watching_a_thread_that_does_not_exist_is_refused_and_joins_nothing()
    {
        var watcher = await ConnectAsync();

        var refusal = await Assert.ThrowsAsync<HubException>(() => watcher.WatchAsync(4242));

        Assert.Contains("Thread not found", refusal.Message);
        Assert.Equal(0, app.Service<PresenceTracker>().ViewerCount(4242));
        using var member = await app.MemberAsync();
        var thread = await member.StartThreadAsync();
        Assert.Equal(0, (await watcher.WatchAsync(thread.Id)).LatestSeq);
    }

    [Fact]
    public async Task Bad_calls_get_clear_refusals_and_the_connection_stays_usable()
    {
        using var member = await app.MemberAsync();
        var thread = await member.StartThreadAsync();
        var anonymous = await ConnectAsync();
        var signedIn = await ConnectAsync(member);

        var signedOut = await Assert.ThrowsAsync<HubException>(() =>
            anonymous.Connection.InvokeAsync<ReplyDto>(DiscussionHubContract.PostReply, new PostReplyRequest(thread.Id, null, "hi")));
        Assert.Contains("Sign in to reply.", signedOut.Message);

        var tooLong = await Assert.ThrowsAsync<HubException>(() =>
            signedIn.Connection.InvokeAsync<ReplyDto>(DiscussionHubContract.PostReply, new PostReplyRequest(thread.Id, null, new string('x', 10_001))));
        Assert.Contains("A reply can be at most 10,000 characters.", tooLong.Message);

        var wrongTypes = await Assert.ThrowsAsync<HubException>(() =>
            signedIn.Connection.InvokeAsync<ThreadCatchUp>(DiscussionHubContract.WatchThread, "not a number", "nor this"));
        Assert.Contains("Error binding arguments", wrongTypes.Message);

        var joinByName = await Assert.ThrowsAsync<HubException>(() =>
            anonymous.Connection.InvokeAsync("JoinGroup", $"thread:{thread.Id}"));
        Assert.Contains("JoinGroup", joinByName.Message);

        var notAModerator = await Assert.ThrowsAsync<HubException>(() =>
            signedIn.Connection.InvokeAsync(DiscussionHubContract.CloseThread, thread.Id, "mine now"));
        Assert.Contains("Only moderators can close threads.", notAModerator.Message);

        Assert.Empty((await member.GetThreadAsync(thread.Id)).Replies);
        Assert.Equal(ThreadState.Open, (await member.GetThreadAsync(thread.Id)).State);
        Assert.Equal(HubConnectionState.Connected, anonymous.Connection.State);
        Assert.Equal(HubConnectionState.Connected, signedIn.Connection.State);
        Assert.Equal(0, (await anonymous.WatchAsync(thread.Id)).LatestSeq);
        var reply = await signedIn.Connection.InvokeAsync<ReplyDto>(DiscussionHubContract.PostReply, new PostReplyRequest(thread.Id, null, "still works"));
        Assert.Equal("still works", reply.Body);
    }

    [Fact]
    public async Task A_message_over_32_kilobytes_closes_only_that_connection()
    {
        using var member = await app.MemberAsync();
        var thread = await member.StartThreadAsync();
        var oversized = await ConnectAsync(member);
        var closed = new TaskCompletionSource();
        oversized.Connection.Closed += _ => { closed.TrySetResult(); return Task.CompletedTask; };
        var bystander = await ConnectAsync();
        await bystander.WatchAsync(thread.Id);

        _ = oversized.Connection.InvokeAsync<ReplyDto>(DiscussionHubContract.PostReply, new PostReplyRequest(thread.Id, null, new string('x', 40_000)));

        await closed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Empty((await member.GetThreadAsync(thread.Id)).Replies);
        await member.ReplyAsync(thread.Id, "the server is fine");
        await HubWatcher.EventuallyAsync(() => bystander.Events.Count == 1, "the bystander's event");
    }

    [Fact]
    public async Task Typing_shows_for_others_stops_on_request_and_floods_are_not_relayed()
    {
        using var louise = await app.MemberAsync("louise");
        var thread = await louise.StartThreadAsync();
        var julias = await louise.ReplyAsync(thread.Id, "Julia's comment");
        var typist = await ConnectAsync(louise);
        var reader = await ConnectAsync();
        await typist.WatchAsync(thread.Id);
        await reader.WatchAsync(thread.Id);

        for (var i = 0; i < 50; i++)
        {
            await typist.Connection.InvokeAsync(DiscussionHubContract.SetTyping, thread.Id, (long?)julias.Id, true);
        }

        await HubWatcher.EventuallyAsync(() => reader.Typing.Any(t => t.Typists.Count == 1), "the typist to show");
        var shown = reader.Typing.Last(t => t.Typists.Count == 1).Typists.Single();
        Assert.Equal(julias.Id, shown.ParentReplyId);
        Assert.StartsWith("member-", shown.DisplayName);
        await Task.Delay(600);
        Assert.Single(reader.Typing);

        await typist.Connection.InvokeAsync(DiscussionHubContract.SetTyping, thread.Id, (long?)julias.Id, false);
        await HubWatcher.EventuallyAsync(() => reader.Typing.LastOrDefault()?.Typists.Count == 0, "the typist to go", 2000);
    }

    [Fact]
    public async Task A_typist_who_goes_silent_expires_after_six_seconds()
    {
        using var member = await app.MemberAsync();
        var thread = await member.StartThreadAsync();
        var typist = await ConnectAsync(member);
        var reader = await ConnectAsync();
        await typist.WatchAsync(thread.Id);
        await reader.WatchAsync(thread.Id);

        await typist.Connection.InvokeAsync(DiscussionHubContract.SetTyping, thread.Id, (long?)null, true);
        await HubWatcher.EventuallyAsync(() => reader.Typing.Any(t => t.Typists.Count == 1), "the typist to show");
        var shownAt = DateTime.UtcNow;

        await HubWatcher.EventuallyAsync(() => reader.Typing.LastOrDefault()?.Typists.Count == 0, "the typist to expire", 9000);
        var gone = DateTime.UtcNow - shownAt;
        Assert.InRange(gone.TotalSeconds, 5.0, 8.0);
    }

    [Fact]
    public async Task Typing_needs_a_sign_in_and_a_watched_thread()
    {
        using var member = await app.MemberAsync();
        var thread = await member.StartThreadAsync();
        var anonymous = await ConnectAsync();
        var notWatching = await ConnectAsync(member);

        Assert.Contains("Sign in", (await Assert.ThrowsAsync<HubException>(() =>
            anonymous.Connection.InvokeAsync(DiscussionHubContract.SetTyping, thread.Id, (long?)null, true))).Message);
        Assert.Contains("Watch the thread", (await Assert.ThrowsAsync<HubException>(() =>
            notWatching.Connection.InvokeAsync(DiscussionHubContract.SetTyping, thread.Id, (long?)null, true))).Message);
    }

    [Fact]
    public async Task Viewers_count_people_not_tabs_and_anonymous_readers_per_connection()
    {
        using var member = await app.MemberAsync();
        var thread = await member.StartThreadAsync();
        var firstTab = await ConnectAsync(member);
        var secondTab = await ConnectAsync(member, messagePack: true);
        var anonymous = await ConnectAsync();

        await firstTab.WatchAsync(thread.Id);
        await secondTab.WatchAsync(thread.Id);
        await anonymous.WatchAsync(thread.Id);

        await HubWatcher.EventuallyAsync(() => anonymous.Viewers.LastOrDefault()?.Count == 2, "a count of 2");
        await secondTab.Connection.StopAsync();
        await Task.Delay(600);
        Assert.Equal(2, anonymous.Viewers.Last().Count);
        await firstTab.Connection.InvokeAsync(DiscussionHubContract.UnwatchThread, thread.Id);
        await HubWatcher.EventuallyAsync(() => anonymous.Viewers.LastOrDefault()?.Count == 1, "a count of 1");
    }

    [Fact]
    public async Task Watchers_of_the_thread_list_hear_of_new_threads_and_replies()
    {
        using var member = await app.MemberAsync();
        var watcher = await ConnectAsync();
        await watcher.Connection.InvokeAsync(DiscussionHubContract.WatchThreadList);

        var thread = await member.StartThreadAsync("Fresh");
        await member.ReplyAsync(thread.Id, "first!");

        // This thread's summaries: one of an earlier test's thread may still be on its way to the list's watchers.
        IEnumerable<ThreadSummaryDto> OfThisThread() => watcher.ListChanges.Where(t => t.Id == thread.Id);
        await HubWatcher.EventuallyAsync(() => OfThisThread().Any(t => t.ReplyCount == 1), "the reply count to change");
        Assert.Equal("Fresh", OfThisThread().First().Title);
        // Each summary is read when it is sent, so the thread's first may already count the reply; none goes back.
        var counts = OfThisThread().Select(t => t.ReplyCount).ToList();
        Assert.Equal(counts.Order(), counts);
    }
}
