using System.Collections.Concurrent;
using LiveDiscussion.Contracts;
using LiveDiscussion.Web.Realtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace LiveDiscussion.Tests.Realtime;

/// <summary>
/// Who is typing, on one node with a fake clock: the throttle on repeated signals, the list sent once per tick, the
/// silent typist who expires, and which node tells the hub clients.
/// </summary>
public sealed class TypingTrackerTests : IAsyncLifetime
{
    private const long ThreadId = 7;
    private const long OtherThreadId = 8;

    private readonly TimerWatchingClock _clock = new();
    private readonly RecordingHub _hub = new();
    private readonly RecordingBus _bus = new();
    private readonly NodeFeed _feed = new(NullLogger<NodeFeed>.Instance);
    private readonly NodeIdentity _node = new("this-node");
    private readonly Page _page;
    private readonly Page _otherPage;
    private readonly TypingTracker _tracker;

    public TypingTrackerTests()
    {
        _page = new Page(_clock);
        _otherPage = new Page(_clock);
        _feed.WatchThread(ThreadId, _page);
        _feed.WatchThread(OtherThreadId, _otherPage);
        _tracker = new TypingTracker(
            new HubGroupSender(_hub, new InProcessLiveLink()), _feed, _node,
            new ServiceCollection().AddSingleton<INodeBus>(_bus).BuildServiceProvider(), _clock,
            NullLogger<TypingTracker>.Instance);
        _bus.OnMessage = message =>
        {
            if (message is TypingSignal signal)
            {
                _tracker.Apply(signal);
            }
        };
    }

    public async Task InitializeAsync()
    {
        await _tracker.StartAsync(CancellationToken.None);
        await _clock.TimerMade;
    }

    public async Task DisposeAsync()
    {
        await _tracker.StopAsync(CancellationToken.None);
        _tracker.Dispose();
    }

    [Fact]
    public async Task A_typist_shows_at_the_next_tick_with_the_reply_they_answer_to_pages_and_hub_clients()
    {
        Assert.True(_tracker.Signal(ThreadId, "julia-id", "Julia", parentReplyId: 42, isTyping: true));

        _clock.Advance(TypingTracker.Tick);

        await Eventually.HoldsAsync(() => !_page.Typing.IsEmpty, "the page to hear of the typist");
        var shown = Assert.Single(_page.Typing).Update;
        Assert.Equal(new TypistDto("Julia", 42, "julia-id"), Assert.Single(shown.Typists));
        await Eventually.HoldsAsync(() => _hub.SentToThread<TypingChangedDto>(ThreadId).Count == 1, "the hub clients to hear of it");
        Assert.Equal(shown.Typists, _hub.SentToThread<TypingChangedDto>(ThreadId).Single().Typists);
    }

    [Fact]
    public void A_repeated_signal_within_a_second_is_dropped_and_one_after_it_or_for_another_reply_is_relayed()
    {
        Assert.True(_tracker.Signal(ThreadId, "julia-id", "Julia", parentReplyId: 42, isTyping: true));
        Assert.False(_tracker.Signal(ThreadId, "julia-id", "Julia", parentReplyId: 42, isTyping: true));

        _clock.Advance(TypingTracker.MinimumSignalInterval - TimeSpan.FromMilliseconds(1));
        Assert.False(_tracker.Signal(ThreadId, "julia-id", "Julia", parentReplyId: 42, isTyping: true));

        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(_tracker.Signal(ThreadId, "julia-id", "Julia", parentReplyId: 42, isTyping: true));
        Assert.True(_tracker.Signal(ThreadId, "julia-id", "Julia", parentReplyId: 43, isTyping: true));

        Assert.Equal([42L, 42, 43], _bus.Published.OfType<TypingSignal>().Select(signal => signal.ParentReplyId!.Value));
    }

    [Fact]
    public async Task A_typist_who_goes_silent_is_listed_for_six_seconds_and_gone_at_the_first_tick_after()
    {
        var signalledAt = _clock.GetUtcNow();
        _tracker.Signal(ThreadId, "julia-id", "Julia", parentReplyId: null, isTyping: true);
        _clock.Advance(TypingTracker.Tick);
        await Eventually.HoldsAsync(() => !_page.Typing.IsEmpty, "the page to hear of the typist");

        _clock.Advance(TypingTracker.Expiry - TypingTracker.Tick);

        Assert.Single(_tracker.Typists(ThreadId));

        _clock.Advance(TypingTracker.Tick);

        await Eventually.HoldsAsync(() => _page.Typing.Count == 2, "the page to hear the typist is gone");
        var gone = _page.Typing.Last();
        Assert.Empty(gone.Update.Typists);
        Assert.Equal(signalledAt + TypingTracker.Expiry + TypingTracker.Tick, gone.At);
        Assert.Empty(_tracker.Typists(ThreadId));
        await Eventually.HoldsAsync(() => _hub.SentToThread<TypingChangedDto>(ThreadId).Count == 2, "the hub clients to hear it");
        Assert.Empty(_hub.SentToThread<TypingChangedDto>(ThreadId)[^1].Typists);
    }

    [Fact]
    public async Task Signals_within_one_tick_go_out_as_one_list_in_name_order()
    {
        _tracker.Signal(ThreadId, "louise-id", "Louise", parentReplyId: null, isTyping: true);
        _tracker.Signal(ThreadId, "carl-id", "Carl", parentReplyId: 42, isTyping: true);
        _tracker.Apply(new TypingSignal("other-node", ThreadId, "amara-id", "Amara", null, IsTyping: true, _clock.GetUtcNow()));

        _clock.Advance(TypingTracker.Tick);

        await Eventually.HoldsAsync(() => !_page.Typing.IsEmpty, "the page to hear of the typists");
        Assert.Equal(["Amara", "Carl", "Louise"], _page.Typing.First().Update.Typists.Select(typist => typist.DisplayName));
    }

    [Fact]
    public async Task A_typist_on_another_node_is_shown_on_this_nodes_pages_but_told_to_hub_clients_by_their_own_node()
    {
        _tracker.Apply(new TypingSignal("other-node", ThreadId, "amara-id", "Amara", null, IsTyping: true, _clock.GetUtcNow()));
        _clock.Advance(TypingTracker.Tick);
        await Eventually.HoldsAsync(() => !_page.Typing.IsEmpty, "the page to hear of the typist");

        // A typist here, a tick later: once this node's hub clients hear of them, the tick before is done.
        _tracker.Signal(OtherThreadId, "julia-id", "Julia", parentReplyId: null, isTyping: true);
        _clock.Advance(TypingTracker.Tick);
        await Eventually.HoldsAsync(() => _hub.SentToThread<TypingChangedDto>(OtherThreadId).Count == 1, "the hub clients to hear of Julia");

        Assert.Equal("Amara", Assert.Single(Assert.Single(_page.Typing).Update.Typists).DisplayName);
        Assert.Empty(_hub.SentToThread<TypingChangedDto>(ThreadId));
    }

    /// <summary>A thread page on this node: what it heard of who is typing, and when by the fake clock.</summary>
    private sealed class Page(TimerWatchingClock clock) : IThreadWatcher
    {
        public ConcurrentQueue<(DateTimeOffset At, TypingChangedDto Update)> Typing { get; } = new();

        public Task OnTypingChangedAsync(TypingChangedDto typing)
        {
            Typing.Enqueue((clock.GetUtcNow(), typing));
            return Task.CompletedTask;
        }

        public Task OnThreadEventAsync(ThreadEventDto threadEvent) => Task.CompletedTask;

        public Task OnViewersChangedAsync(ViewersChangedDto viewers) => Task.CompletedTask;

        public Task OnLiveStatusChangedAsync(LiveStatusDto status) => Task.CompletedTask;
    }
}
