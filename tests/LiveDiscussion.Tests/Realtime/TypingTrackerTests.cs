using System.Collections.Concurrent;
using LiveDiscussion.Contracts;
using LiveDiscussion.Web.Realtime;
using Microsoft.Extensions.Logging.Abstractions;

namespace LiveDiscussion.Tests.Realtime;

/// <summary>
/// Who is typing, on one node with a fake clock: the throttle on repeated signals, the list sent once per tick, the
/// silent typist who expires, and a typist on another node shown here too.
/// </summary>
public sealed class TypingTrackerTests : IAsyncLifetime
{
    private const long ThreadId = 7;
    private const long OtherThreadId = 8;

    private readonly TimerWatchingClock _clock = new();
    private readonly RecordingHub _hub = new();
    private readonly RecordingBus _bus;
    private readonly NodeDispatcher _dispatcher;
    private readonly NodeFeed _feed = new(NullLogger<NodeFeed>.Instance);
    private readonly Page _page;
    private readonly Page _otherPage;
    private readonly TypingTracker _tracker;

    public TypingTrackerTests()
    {
        _page = new Page(_clock);
        _otherPage = new Page(_clock);
        _feed.WatchThread(ThreadId, _page);
        _feed.WatchThread(OtherThreadId, _otherPage);
        _dispatcher = OneNode.Dispatcher(_hub, _feed);
        _bus = new RecordingBus(_dispatcher);
        _tracker = new TypingTracker(_bus, _dispatcher, _clock, NullLogger<TypingTracker>.Instance);
    }

    /// <summary>A signal from a typist on another node, heard here through the node bus.</summary>
    private Task HearFromAnotherNodeAsync(string userId, string displayName) =>
        _dispatcher.ReceiveAsync(new TypingSignal(ThreadId, userId, displayName, null, IsTyping: true, _clock.GetUtcNow()));

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
    public void A_repeated_signal_within_a_second_is_dropped_whatever_reply_it_answers_and_one_after_it_is_relayed()
    {
        Assert.True(_tracker.Signal(ThreadId, "julia-id", "Julia", parentReplyId: 42, isTyping: true));
        Assert.False(_tracker.Signal(ThreadId, "julia-id", "Julia", parentReplyId: 42, isTyping: true));

        _clock.Advance(TypingTracker.MinimumSignalInterval - TimeSpan.FromMilliseconds(1));
        Assert.False(_tracker.Signal(ThreadId, "julia-id", "Julia", parentReplyId: 42, isTyping: true));

        // Alternating the reply answered does not get past the throttle.
        Assert.False(_tracker.Signal(ThreadId, "julia-id", "Julia", parentReplyId: 43, isTyping: true));
        Assert.False(_tracker.Signal(ThreadId, "julia-id", "Julia", parentReplyId: null, isTyping: true));

        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(_tracker.Signal(ThreadId, "julia-id", "Julia", parentReplyId: 43, isTyping: true));
        Assert.False(_tracker.Signal(ThreadId, "julia-id", "Julia", parentReplyId: 42, isTyping: true));

        Assert.Equal([42L, 43], _bus.Published.OfType<TypingSignal>().Select(signal => signal.ParentReplyId!.Value));
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
        await HearFromAnotherNodeAsync("amara-id", "Amara");

        _clock.Advance(TypingTracker.Tick);

        await Eventually.HoldsAsync(() => !_page.Typing.IsEmpty, "the page to hear of the typists");
        Assert.Equal(["Amara", "Carl", "Louise"], _page.Typing.First().Update.Typists.Select(typist => typist.DisplayName));
    }

    [Fact]
    public async Task A_typist_on_another_node_is_shown_to_this_nodes_pages_and_hub_clients_of_that_thread_only()
    {
        await HearFromAnotherNodeAsync("amara-id", "Amara");
        _clock.Advance(TypingTracker.Tick);

        await Eventually.HoldsAsync(() => !_page.Typing.IsEmpty, "the page to hear of the typist");
        await Eventually.HoldsAsync(() => _hub.SentToThread<TypingChangedDto>(ThreadId).Count == 1, "the hub clients to hear of Amara");
        Assert.Equal("Amara", Assert.Single(Assert.Single(_page.Typing).Update.Typists).DisplayName);
        Assert.Equal("Amara", Assert.Single(_hub.SentToThread<TypingChangedDto>(ThreadId).Single().Typists).DisplayName);
        Assert.Empty(_otherPage.Typing);
        Assert.Empty(_hub.SentToThread<TypingChangedDto>(OtherThreadId));
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
