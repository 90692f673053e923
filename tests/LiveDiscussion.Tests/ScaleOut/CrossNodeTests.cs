using System.Net;
using System.Net.Http.Json;
using LiveDiscussion.Contracts;
using LiveDiscussion.Tests.Realtime;
using LiveDiscussion.TestSupport;
using Microsoft.AspNetCore.SignalR.Client;

namespace LiveDiscussion.Tests.ScaleOut;

/// <summary>Viewers on one node see what happens on the other, as if there were one server.</summary>
[Collection(ClusterCollection.Name)]
public sealed class CrossNodeTests(CrossNodeTests.Fixture cluster) : IClassFixture<CrossNodeTests.Fixture>
{
    public sealed class Fixture : IAsyncLifetime
    {
        public Cluster Cluster { get; private set; } = null!;

        public async Task InitializeAsync() => Cluster = await Cluster.StartAsync();

        public async Task DisposeAsync() => await Cluster.DisposeAsync();
    }

    private NodeProcess A => cluster.Cluster.A;
    private NodeProcess B => cluster.Cluster.B;

    [Fact]
    public async Task A_watcher_on_B_receives_a_reply_posted_on_A_exactly_once()
    {
        using var admin = await A.AdminAsync();
        var thread = await admin.StartThreadAsync("Posted on A");
        await using var watcher = await HubWatcher.ConnectAsync(B.BaseAddress);
        await watcher.WatchAsync(thread.Id);

        using var member = await A.MemberAsync("poster");
        var reply = await member.ReplyAsync(thread.Id, "Hello from node A");

        await HubWatcher.EventuallyAsync(() => watcher.Events.Any(e => e.Reply?.Id == reply.Id), "the reply to reach B");
        // A second copy, if there were one, would come right behind the first.
        await Task.Delay(500);
        var received = Assert.Single(watcher.Events, e => e.Reply?.Id == reply.Id);
        Assert.Equal(ThreadEventTypes.ReplyPosted, received.Type);
        Assert.Equal("Hello from node A", received.Reply!.Body);
    }

    [Fact]
    public async Task The_same_text_posted_on_A_twice_and_on_B_once_is_held_on_B()
    {
        using var admin = await A.AdminAsync();
        var threads = new List<ThreadDetailDto>();
        for (var i = 0; i < 3; i++)
        {
            threads.Add(await admin.StartThreadAsync($"Repeated across nodes {i}"));
        }

        var text = $"Same advert on every node {Guid.NewGuid():N}";
        using var onA = await A.MemberAsync("spreader");
        using var onB = await B.MemberAsync("spreader");
        await onA.ReplyAsync(threads[0].Id, text);
        await onA.ReplyAsync(threads[1].Id, text);

        var third = await onB.ReplyAsync(threads[2].Id, text);

        Assert.Equal(ReplyState.Pending, third.State);
        var queue = await (await admin.GetAsync("/api/moderation/queue")).ReadAsync<List<HeldReplyDto>>();
        Assert.Equal("held: the same text in 3 threads within 10 minutes", queue.Single(h => h.Reply.Id == third.Id).HeldReason);
    }

    [Fact]
    public async Task Typing_on_A_shows_on_B_and_goes_away_when_it_stops()
    {
        using var admin = await A.AdminAsync();
        var thread = await admin.StartThreadAsync("Typing across nodes");
        await using var watcher = await HubWatcher.ConnectAsync(B.BaseAddress);
        await watcher.WatchAsync(thread.Id);
        using var member = await A.MemberAsync("louise");
        await using var typist = await HubWatcher.ConnectAsync(A.BaseAddress, member);
        await typist.WatchAsync(thread.Id);

        await typist.Connection.InvokeAsync(DiscussionHubContract.SetTyping, thread.Id, (long?)null, true);
        await HubWatcher.EventuallyAsync(
            () => watcher.Typing.Any(t => t.ThreadId == thread.Id && t.Typists.Count == 1), "B to see one person typing");

        await typist.Connection.InvokeAsync(DiscussionHubContract.SetTyping, thread.Id, (long?)null, false);
        await HubWatcher.EventuallyAsync(
            () => watcher.Typing.LastOrDefault(t => t.ThreadId == thread.Id)?.Typists.Count == 0, "B to see nobody typing");
        // Told once, by the typist's node, not once per node.
        Assert.Single(watcher.Typing, t => t.ThreadId == thread.Id && t.Typists.Count == 1);
    }

    [Fact]
    public async Task Viewers_on_A_and_B_are_counted_together()
    {
        using var admin = await A.AdminAsync();
        var thread = await admin.StartThreadAsync("Counted together");
        await using var onA = await HubWatcher.ConnectAsync(A.BaseAddress);
        await using var onB = await HubWatcher.ConnectAsync(B.BaseAddress);
        await onA.WatchAsync(thread.Id);
        await onB.WatchAsync(thread.Id);

        await HubWatcher.EventuallyAsync(() => onA.Viewers.LastOrDefault()?.Count == 2, "A to count both viewers");
        await HubWatcher.EventuallyAsync(() => onB.Viewers.LastOrDefault()?.Count == 2, "B to count both viewers");

        await onA.DisposeAsync();
        await HubWatcher.EventuallyAsync(() => onB.Viewers.LastOrDefault()?.Count == 1, "B to count the one left");
    }

    [Fact]
    public async Task Closing_on_A_closes_the_thread_for_a_hub_client_on_B_with_the_reason()
    {
        using var admin = await A.AdminAsync();
        var thread = await admin.StartThreadAsync("Closed on A");
        await using var watcher = await HubWatcher.ConnectAsync(B.BaseAddress);
        await watcher.WatchAsync(thread.Id);

        (await admin.PostAsJsonAsync($"/api/threads/{thread.Id}/close", new { reason = "Resolved on node A" })).EnsureSuccessStatusCode();

        await HubWatcher.EventuallyAsync(
            () => watcher.Events.Any(e => e.Type == ThreadEventTypes.ThreadClosed && e.Reason == "Resolved on node A"),
            "B's watcher to hear of the close");
        using var memberOnB = await B.MemberAsync();
        await (await memberOnB.PostReplyAsync(thread.Id, "Too late?"))
            .ShouldBeProblemAsync(HttpStatusCode.Conflict, "Resolved on node A");
    }

    [Fact]
    public async Task A_sign_in_cookie_from_A_is_accepted_by_B()
    {
        var cookies = new CookieContainer();
        using var onA = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = A.BaseAddress };
        (await onA.PostAsJsonAsync("/api/auth/login?useCookies=true",
            new { email = TestApp.AdminEmail, password = TestApp.AdminPassword })).EnsureSuccessStatusCode();
        var cookie = cookies.GetCookieHeader(A.BaseAddress);
        Assert.False(string.IsNullOrEmpty(cookie));

        using var onB = new HttpClient { BaseAddress = B.BaseAddress };
        onB.DefaultRequestHeaders.Add("Cookie", cookie);
        var thread = await onB.StartThreadAsync("Started on B with A's cookie");

        using var anonymous = B.Anonymous();
        Assert.Equal("Started on B with A's cookie", (await anonymous.GetThreadAsync(thread.Id)).Title);
        Assert.Equal(HttpStatusCode.Unauthorized,
            (await anonymous.PostAsJsonAsync("/api/threads", new CreateThreadRequest("No cookie", "Refused"))).StatusCode);
    }
}
