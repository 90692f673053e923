using System.Collections.Concurrent;
using LiveDiscussion.Contracts;
using LiveDiscussion.Web.Realtime;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace LiveDiscussion.Tests.Realtime;

// Fakes for the unit tests of the realtime services and the group commit, which run them without a server.

/// <summary>A hub context that keeps what the service sends to each group of hub clients.</summary>
public sealed class RecordingHub : IHubContext<DiscussionHub, IDiscussionClient>
{
    public RecordingHub() => Clients = new GroupClients(this);

    public ConcurrentQueue<(string Group, object Message)> Sent { get; } = new();

    public IHubClients<IDiscussionClient> Clients { get; }

    public IGroupManager Groups => throw new NotSupportedException("The services under test send to groups only.");

    /// <summary>What the thread's hub clients were sent, of one kind, in order.</summary>
    public List<T> SentToThread<T>(long threadId) =>
        [.. Sent.Where(sent => sent.Group == HubGroups.Thread(threadId)).Select(sent => sent.Message).OfType<T>()];

    private sealed class GroupClients(RecordingHub hub) : IHubClients<IDiscussionClient>
    {
        public IDiscussionClient Group(string groupName) => new GroupClient(hub, groupName);

        public IDiscussionClient All => throw Unexpected();

        public IDiscussionClient AllExcept(IReadOnlyList<string> excludedConnectionIds) => throw Unexpected();

        public IDiscussionClient Client(string connectionId) => throw Unexpected();

        public IDiscussionClient Clients(IReadOnlyList<string> connectionIds) => throw Unexpected();

        public IDiscussionClient GroupExcept(string groupName, IReadOnlyList<string> excludedConnectionIds) => throw Unexpected();

        public IDiscussionClient Groups(IReadOnlyList<string> groupNames) => throw Unexpected();

        public IDiscussionClient User(string userId) => throw Unexpected();

        public IDiscussionClient Users(IReadOnlyList<string> userIds) => throw Unexpected();

        private static NotSupportedException Unexpected() => new("The services under test send to groups only.");
    }

    private sealed class GroupClient(RecordingHub hub, string group) : IDiscussionClient
    {
        public Task ThreadEvent(ThreadEventDto threadEvent) => Keep(threadEvent);

        public Task TypingChanged(TypingChangedDto typing) => Keep(typing);

        public Task ViewersChanged(ViewersChangedDto viewers) => Keep(viewers);

        public Task ThreadListChanged(ThreadSummaryDto thread) => Keep(thread);

        public Task LiveStatusChanged(LiveStatusDto status) => Keep(status);

        private Task Keep(object message)
        {
            hub.Sent.Enqueue((group, message));
            return Task.CompletedTask;
        }
    }
}

/// <summary>One node's dispatcher, delivering to the given pages and hub.</summary>
public static class OneNode
{
    public const string Id = "this-node";

    public static NodeDispatcher Dispatcher(RecordingHub? hub = null, NodeFeed? pages = null) =>
        new(pages ?? new NodeFeed(NullLogger<NodeFeed>.Instance), hub ?? new RecordingHub(), new NodeIdentity(Id),
            NullLogger<NodeDispatcher>.Instance);
}

/// <summary>
/// A node bus that keeps what is published and hands it at once to this node's dispatcher, if there is one, as one
/// node's in-process bus does.
/// </summary>
public sealed class RecordingBus(NodeDispatcher? dispatcher = null) : INodeBus
{
    public ConcurrentQueue<NodeMessage> Published { get; } = new();

    public Task PublishAsync(NodeMessage message)
    {
        Published.Enqueue(message);
        return dispatcher?.ReceiveAsync(message) ?? Task.CompletedTask;
    }
}

/// <summary>
/// A fake clock that says when a timer is made on it: a service started in the background makes its timer when it gets
/// round to it, and a test that advanced the clock before that would have moved time under no timer at all.
/// </summary>
public sealed class TimerWatchingClock : FakeTimeProvider
{
    private readonly TaskCompletionSource _timerMade = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task TimerMade => _timerMade.Task;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        _timerMade.TrySetResult();
        return timer;
    }
}

public static class Eventually
{
    /// <summary>
    /// Waits for what a service does on its own thread once the fake clock moved. The fake clock decides when it
    /// happens; the real-time bound only keeps a broken test from hanging.
    /// </summary>
    public static async Task HoldsAsync(Func<bool> condition, string what)
    {
        var giveUp = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < giveUp, $"never happened: {what}");
            await Task.Delay(5);
        }
    }
}
