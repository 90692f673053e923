using LiveDiscussion.Contracts;
using LiveDiscussion.LoadTest.Measuring;
using LiveDiscussion.LoadTest.Scenarios;

namespace LiveDiscussion.LoadTest.Tests;

public class DeliveryBookkeepingTests
{
    [Fact]
    public void Seq_tracker_flags_repeats_in_and_out_of_order()
    {
        var seen = new SeqTracker(alreadySeen: 2);

        Assert.False(seen.TryAdd(2));
        Assert.True(seen.TryAdd(3));
        Assert.True(seen.TryAdd(5));
        Assert.False(seen.TryAdd(5));
        Assert.True(seen.TryAdd(4));
        Assert.False(seen.TryAdd(4));
        Assert.False(seen.TryAdd(3));
        Assert.True(seen.TryAdd(6));
    }

    [Fact]
    public void Marker_round_trips_and_ignores_other_runs()
    {
        var marker = new ReplyMarker("abc123");
        var other = new ReplyMarker("zzz999");

        Assert.Equal(42, marker.IndexOf(marker.Body(42)));
        Assert.Equal(-1, marker.IndexOf(other.Body(42)));
        Assert.Equal(-1, marker.IndexOf(marker.ForWarmUp().Body(1)));
        Assert.Equal(-1, marker.ForWarmUp().IndexOf(marker.Body(1)));
        Assert.Equal(-1, marker.IndexOf(marker.Body(7) + " edited"));
        Assert.Equal(-1, marker.IndexOf(null));
    }

    [Fact]
    public void Recorder_counts_fanout_once_the_last_watcher_has_a_reply_and_reports_what_is_missing()
    {
        var marker = new ReplyMarker("run1");
        var recorder = new DeliveryRecorder(marker, [100, 200], recipients: 2);
        recorder.MarkPosted(0);
        recorder.MarkPosted(1);

        recorder.OnEvent(Event(1, marker.Body(0)), isNewSeq: true, arrival: 150);
        Assert.Equal(0, recorder.FanoutCompletion.Count);
        recorder.OnEvent(Event(1, marker.Body(0)), isNewSeq: true, arrival: 170);
        recorder.OnEvent(Event(1, marker.Body(0)), isNewSeq: false, arrival: 180);
        recorder.OnEvent(Event(2, marker.Body(1)), isNewSeq: true, arrival: 260);
        recorder.OnEvent(Event(3, "someone else's reply"), isNewSeq: true, arrival: 270);

        Assert.Equal(3, recorder.Deliveries);
        Assert.Equal(1, recorder.Duplicates);
        Assert.Equal(1, recorder.Foreign);
        Assert.Equal(1, recorder.FanoutCompletion.Count);
        Assert.Equal(1, recorder.Outstanding());
        Assert.Equal(260, recorder.LastDeliveryTimestamp);
    }

    private static ThreadEventDto Event(long seq, string body) => new(
        1, seq, ThreadEventTypes.ReplyPosted, DateTimeOffset.UtcNow,
        new ReplyDto(seq, 1, null, new AuthorDto("a", null), false, body, body, DateTimeOffset.UtcNow, null, ReplyState.Visible));
}
