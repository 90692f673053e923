using System.Collections.Concurrent;
using LiveDiscussion.Contracts;
using LiveDiscussion.Web.Realtime;
using Microsoft.Extensions.Logging.Abstractions;

namespace LiveDiscussion.Tests.Realtime;

/// <summary>
/// Who is watching, on one node with a fake clock: people rather than tabs, one count per tick however many arrive,
/// a count sent only when it changed, and this node's counts asserted again every five seconds.
/// </summary>
public sealed class PresenceTrackerTests : IAsyncLifetime
{
    private const long ThreadId = 7;

    private readonly TimerWatchingClock _clock = new();
    private readonly RecordingHub _hub = new();
    private readonly RecordingBus _bus;
    private readonly Counts _counts;
    private readonly PresenceTracker _tracker;

    public PresenceTrackerTests()
    {
        _counts = new Counts(_clock);
        var dispatcher = OneNode.Dispatcher(_hub);
        _bus = new RecordingBus(dispatcher);
        _tracker = new PresenceTracker(_counts, _bus, dispatcher, new NodeIdentity(OneNode.Id), _clock, NullLogger<PresenceTracker>.Instance);
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

    private List<int> CountsSent() => [.. _hub.SentToThread<ViewersChangedDto>(ThreadId).Select(viewers => viewers.Count)];

    [Fact]
    public async Task Viewers_are_people_not_tabs_and_a_crowd_arriving_within_a_tick_is_one_count()
    {
        _tracker.Watch(ThreadId, "julia-tab-1", "julia-id");
        _tracker.Watch(ThreadId, "julia-tab-2", "julia-id");
        _tracker.Watch(ThreadId, "anonymous-1", "anonymous-1");
        _tracker.Watch(ThreadId, "anonymous-2", "anonymous-2");

        _clock.Advance(PresenceTracker.Tick);

        await Eventually.HoldsAsync(() => CountsSent().Count > 0, "the count to be sent");
        Assert.Equal([3], CountsSent());
        Assert.Equal(3, _tracker.ViewerCount(ThreadId));
        Assert.Equal(3, _bus.Published.OfType<ViewersNews>().Single().Viewers.Count);
    }

    [Fact]
    public async Task Closing_one_of_two_tabs_sends_nothing_and_closing_the_last_sends_the_new_count()
    {
        _tracker.Watch(ThreadId, "julia-tab-1", "julia-id");
        _tracker.Watch(ThreadId, "julia-tab-2", "julia-id");
        _clock.Advance(PresenceTracker.Tick);
        await Eventually.HoldsAsync(() => CountsSent().Count == 1, "the first count to be sent");

        _tracker.Disconnect("julia-tab-2");
        _clock.Advance(PresenceTracker.Tick);
        await Eventually.HoldsAsync(() => _counts.Reported.Count == 2, "the count to be worked out again");
        _tracker.Disconnect("julia-tab-1");
        _clock.Advance(PresenceTracker.Tick);

        await Eventually.HoldsAsync(() => CountsSent().Count == 2, "the last count to be sent");
        Assert.Equal([1, 0], CountsSent());
        Assert.Equal([(ThreadId, 1), (ThreadId, 1), (ThreadId, 0)], _counts.Reported);
    }

    [Fact]
    public async Task This_nodes_counts_are_asserted_again_every_five_seconds_of_the_clock()
    {
        var startedAt = _clock.GetUtcNow();
        _tracker.Watch(ThreadId, "julia-tab-1", "julia-id");

        _clock.Advance(PresenceTracker.RefreshInterval - PresenceTracker.Tick);
        Assert.Empty(_counts.Refreshes);
        _clock.Advance(PresenceTracker.Tick);

        await Eventually.HoldsAsync(() => _counts.Refreshes.Count == 1, "the first refresh");
        var first = Assert.Single(_counts.Refreshes);
        Assert.Equal(startedAt + PresenceTracker.RefreshInterval, first.At);
        Assert.Equal(new Dictionary<long, int> { [ThreadId] = 1 }, first.Local);

        _clock.Advance(PresenceTracker.RefreshInterval - PresenceTracker.Tick);
        Assert.Single(_counts.Refreshes);
        _clock.Advance(PresenceTracker.Tick);

        await Eventually.HoldsAsync(() => _counts.Refreshes.Count == 2, "the second refresh");
        Assert.Equal(startedAt + 2 * PresenceTracker.RefreshInterval, _counts.Refreshes.Last().At);
    }

    /// <summary>The counts of one node alone, keeping what this node reported and when it asserted its counts again.</summary>
    private sealed class Counts(TimerWatchingClock clock) : IViewerCounts
    {
        public ConcurrentQueue<(long ThreadId, int Local)> Reported { get; } = new();

        public ConcurrentQueue<(DateTimeOffset At, Dictionary<long, int> Local)> Refreshes { get; } = new();

        public Task<int> ReportAsync(long threadId, int localCount)
        {
            Reported.Enqueue((threadId, localCount));
            return Task.FromResult(localCount);
        }

        public Task<IReadOnlyList<(long ThreadId, int Total)>> RefreshAsync(IReadOnlyDictionary<long, int> localCounts)
        {
            Refreshes.Enqueue((clock.GetUtcNow(), localCounts.ToDictionary()));
            return Task.FromResult<IReadOnlyList<(long, int)>>([.. localCounts.Select(count => (count.Key, count.Value))]);
        }
    }
}
