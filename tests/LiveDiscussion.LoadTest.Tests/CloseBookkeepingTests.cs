using LiveDiscussion.Contracts;
using LiveDiscussion.LoadTest.Cli;
using LiveDiscussion.LoadTest.Scenarios;

namespace LiveDiscussion.LoadTest.Tests;

/// <summary>The close scenario's pure parts: which sends are closes, matching thread-closed events to them, and the tallies.</summary>
public class CloseBookkeepingTests
{
    private readonly ReplyMarker _marker = new("run1", "close");

    [Fact]
    public void Even_indexes_close_and_odd_ones_reopen()
    {
        Assert.True(CloseSends.IsClose(0));
        Assert.False(CloseSends.IsClose(1));
        Assert.True(CloseSends.IsClose(16));
        Assert.Equal(50, CloseSends.Closes(100));
        Assert.Equal(6, CloseSends.Closes(11));
    }

    [Fact]
    public void Close_reason_names_the_schedule_index()
    {
        Assert.Equal("Load test run1 close #17", _marker.Body(17));
        Assert.Equal("Load test run1 reply #17", new ReplyMarker("run1").Body(17));
    }

    [Fact]
    public void Thread_closed_events_match_their_close_by_reason()
    {
        Assert.Equal(4, CloseSends.Match(_marker, Closed(1, _marker.Body(4))));
        Assert.Equal(0, CloseSends.Match(_marker, Closed(1, _marker.Body(0))));
    }

    [Fact]
    public void Reopens_replies_other_runs_and_the_warm_up_match_nothing()
    {
        Assert.Equal(-1, CloseSends.Match(_marker, new ThreadEventDto(1, 1, ThreadEventTypes.ThreadReopened, DateTimeOffset.UtcNow)));
        Assert.Equal(-1, CloseSends.Match(_marker, Closed(1, null)));
        Assert.Equal(-1, CloseSends.Match(_marker, Closed(1, "spam")));
        Assert.Equal(-1, CloseSends.Match(_marker, Closed(1, new ReplyMarker("run2", "close").Body(4))));
        Assert.Equal(-1, CloseSends.Match(_marker, Closed(1, _marker.ForWarmUp().Body(4))));
        Assert.Equal(-1, CloseSends.Match(_marker, Closed(1, new ReplyMarker("run1").Body(4))));

        // An odd index is a reopen's slot: a close naming it is not one of ours.
        Assert.Equal(-1, CloseSends.Match(_marker, Closed(1, _marker.Body(3))));

        // A reply whose body looks like a close reason is still a reply.
        Assert.Equal(-1, new ReplySends(null!, 1, _marker).IndexOf(Closed(1, _marker.Body(4)) with { Type = ThreadEventTypes.ReplyPosted }));
    }

    [Fact]
    public void Recorder_measures_only_closes_and_owes_only_accepted_closes()
    {
        // Schedule: close #0 at 100, reopen #1 at 200, close #2 at 300, reopen #3 at 400.
        var recorder = new DeliveryRecorder(
            e => CloseSends.Match(_marker, e), [100, 200, 300, 400], recipients: 2, CloseSends.IsClose);
        for (var i = 0; i < 4; i++)
        {
            recorder.MarkPosted(i);
        }

        Assert.Equal(2, recorder.MeasuredCount);
        Assert.Equal(2, recorder.PostedCount);
        Assert.False(recorder.IsMeasured(1));

        recorder.OnEvent(Closed(1, _marker.Body(0)), isNewSeq: true, arrival: 130);
        recorder.OnEvent(Closed(1, _marker.Body(0)), isNewSeq: true, arrival: 150);
        recorder.OnEvent(Closed(1, _marker.Body(0)), isNewSeq: false, arrival: 160);
        recorder.OnEvent(new ThreadEventDto(1, 2, ThreadEventTypes.ThreadReopened, DateTimeOffset.UtcNow), isNewSeq: true, arrival: 210);
        recorder.OnEvent(Closed(3, _marker.Body(2)), isNewSeq: true, arrival: 320);

        Assert.Equal(3, recorder.Deliveries);
        Assert.Equal(1, recorder.Duplicates);
        Assert.Equal(1, recorder.Foreign);
        Assert.Equal(1, recorder.FanoutCompletion.Count);
        Assert.Equal(1, recorder.Outstanding());
        Assert.Equal(3, recorder.PerRecipient.Count);
    }

    [Fact]
    public void Close_has_its_own_defaults_and_needs_a_moderator_account()
    {
        var options = Assert.IsType<RunScenario>(ArgsParser.Parse(
            ["close", "--url", "http://127.0.0.1:5000", "--email", "a@b.c", "--password", "pw"])).Options;
        Assert.Equal("close", options.Scenario);
        Assert.Equal(100, options.Watchers);
        Assert.Equal(5, options.Rate);

        var refusal = Assert.Throws<UsageException>(() => ArgsParser.Parse(["close", "--url", "http://127.0.0.1:5000"]));
        Assert.Contains("--email", refusal.Message);

        Assert.Throws<UsageException>(() => ArgsParser.Parse(
            ["close", "--url", "http://example.com:5000", "--email", "a@b.c", "--password", "pw"]));
        Assert.Contains(ScenarioNames.Close, ScenarioNames.Runnable);
    }

    private static ThreadEventDto Closed(long seq, string? reason) =>
        new(1, seq, ThreadEventTypes.ThreadClosed, DateTimeOffset.UtcNow, Reason: reason);
}
