using LiveDiscussion.Contracts;
using LiveDiscussion.LoadTest.Baseline;
using LiveDiscussion.LoadTest.Cli;
using LiveDiscussion.LoadTest.Measuring;
using LiveDiscussion.LoadTest.Scenarios;

namespace LiveDiscussion.LoadTest.Tests;

/// <summary>The pure parts of many-threads, typing, persist, idle and reconnect: options, spreading, /proc, catch-up.</summary>
public class NewScenarioBookkeepingTests
{
    private static LoadOptions Parse(params string[] args) => Assert.IsType<RunScenario>(ArgsParser.Parse(args)).Options;

    [Fact]
    public void Many_threads_defaults_to_500_threads_of_4_watchers_at_200_replies_a_second()
    {
        var options = Parse("many-threads", "--url", "http://127.0.0.1:5000");

        Assert.Equal(500, options.ThreadCount);
        Assert.Equal(4, options.Watchers);
        Assert.Equal(2_000, options.TotalWatchers);
        Assert.Equal(200, options.Rate);
        Assert.Equal(1, Parse("fanout", "--url", "http://127.0.0.1:5000").ThreadCount);
        Assert.Equal(2_000, Parse("fanout", "--url", "http://127.0.0.1:5000").TotalWatchers);
    }

    [Fact]
    public void Many_threads_counts_every_watcher_of_every_thread_against_the_limit() =>
        Assert.Contains("50,000", Assert.Throws<UsageException>(() => ArgsParser.Parse(
            ["many-threads", "--url", "http://127.0.0.1:5000", "--threads", "1000", "--watchers", "51"])).Message);

    [Fact]
    public void Typing_counts_both_measured_phases_against_the_post_limit()
    {
        Assert.Equal(50_000, Parse("fanout", "--url", "http://127.0.0.1:5000", "--rate", "1000", "--seconds", "50", "--warmup-seconds", "0").Posts);
        Assert.Contains("100,000", Assert.Throws<UsageException>(() => ArgsParser.Parse(
            ["typing", "--url", "http://127.0.0.1:5000", "--rate", "1000", "--seconds", "50", "--warmup-seconds", "1"])).Message);
    }

    [Fact]
    public void The_new_options_are_read()
    {
        var options = Parse(
            "reconnect", "--url", "http://127.0.0.1:5000", "--watch-url", "http://127.0.0.1:5001", "--typists", "7", "--posters", "9",
            "--server-pid", "4242", "--restart-command", "systemctl restart livediscussion", "--restart-after", "3",
            "--restart-timeout", "30", "--no-baseline", "--seconds", "10");

        Assert.Equal(new Uri("http://127.0.0.1:5001"), options.WatchTarget);
        Assert.Equal(7, options.Typists);
        Assert.Equal(9, options.Posters);
        Assert.Equal(4242, options.ServerPid);
        Assert.Equal("systemctl restart livediscussion", options.RestartCommand);
        Assert.Equal(3, options.RestartAfterSeconds);
        Assert.Equal(TimeSpan.FromSeconds(30), options.RestartTimeout);
        Assert.True(options.NoBaseline);

        var plain = Parse("reconnect", "--url", "http://127.0.0.1:5000", "--seconds", "10");
        Assert.Equal(new Uri("http://127.0.0.1:5000"), plain.WatchTarget);
        Assert.Null(plain.ServerPid);
        Assert.Equal(3, NodeRestart.RestartAfter(plain));
        Assert.Equal(1, NodeRestart.RestartAfter(plain with { Seconds = 2 }));
    }

    [Theory]
    [InlineData("--restart-after", "11")]
    [InlineData("--typists", "0")]
    [InlineData("--posters", "1001")]
    [InlineData("--server-pid", "0")]
    [InlineData("--restart-timeout", "0")]
    public void Bad_values_of_the_new_options_are_refused(string option, string value) =>
        Assert.Contains(option, Assert.Throws<UsageException>(() => ArgsParser.Parse(
            ["reconnect", "--url", "http://127.0.0.1:5000", "--seconds", "10", option, value])).Message);

    [Fact]
    public void Watch_url_is_held_to_loopback_too()
    {
        Assert.Contains("--allow-remote", Assert.Throws<UsageException>(() => ArgsParser.Parse(
            ["fanout", "--url", "http://127.0.0.1:5000", "--watch-url", "http://10.1.2.3:5000"])).Message);

        var baseline = Parse("fanout", "--url", "http://127.0.0.1:5000", "--watch-url", "http://127.0.0.1:5001", "--server-pid", "7")
            .ForBaseline(new Uri("http://127.0.0.1:5400"));
        Assert.Null(baseline.WatchUrl);
        Assert.Null(baseline.ServerPid);
    }

    [Fact]
    public void Every_scenario_of_the_contract_runs_and_the_baseline_applies_where_it_can()
    {
        Assert.Equal(["fanout", "close", "many-threads", "typing", "persist", "idle", "reconnect", "circuits"], ScenarioNames.Runnable);
        Assert.Empty(ScenarioNames.Planned);
        Assert.Null(LoadToolCli.BaselineNotApplicable("many-threads"));
        Assert.Null(LoadToolCli.BaselineNotApplicable("typing"));
        Assert.Contains("SQLite", LoadToolCli.BaselineNotApplicable("persist"));
        Assert.NotNull(LoadToolCli.BaselineNotApplicable("reconnect"));
        Assert.NotNull(LoadToolCli.BaselineNotApplicable("close"));
        Assert.Contains("no pages", LoadToolCli.BaselineNotApplicable("circuits"));
    }

    [Fact]
    public void Replies_are_spread_round_robin_over_the_threads()
    {
        var sends = new ReplySends(null!, [10, 20, 30], new ReplyMarker("run1"));

        Assert.Equal([0, 1, 2, 0, 1], Enumerable.Range(0, 5).Select(sends.ThreadIndexOf));
        Assert.Equal(0, new ReplySends(null!, 10, new ReplyMarker("run1")).ThreadIndexOf(7));
    }

    [Fact]
    public void Recorder_owes_each_reply_only_to_the_watchers_of_its_thread()
    {
        // Sends 0 and 2 go to thread 0 (two watchers), send 1 to thread 1 (one watcher).
        var marker = new ReplyMarker("run1");
        var recorder = new DeliveryRecorder(e => marker.IndexOf(e.Reply?.Body), [100, 200, 300], recipients: 3, _ => true, i => i % 2 == 0 ? 2 : 1);
        for (var i = 0; i < 3; i++)
        {
            recorder.MarkPosted(i);
        }

        Assert.Equal(5, recorder.ExpectedDeliveries());
        recorder.OnEvent(Reply(1, marker.Body(1)), isNewSeq: true, arrival: 250);
        Assert.Equal(1, recorder.FanoutCompletion.Count);
        recorder.OnEvent(Reply(1, marker.Body(0)), isNewSeq: true, arrival: 150);
        Assert.Equal(1, recorder.FanoutCompletion.Count);
        recorder.OnEvent(Reply(1, marker.Body(0)), isNewSeq: true, arrival: 160);
        Assert.Equal(2, recorder.FanoutCompletion.Count);
        Assert.Equal(2, recorder.Outstanding());
    }

    [Fact]
    public void Vm_rss_is_read_from_proc_status_whatever_the_spacing()
    {
        Assert.Equal(100_860, ServerProbe.ParseVmRssKb("Name:\tdotnet\nVmPeak:\t  300 kB\nVmRSS:\t  100860 kB\nVmData: 5 kB\n"));
        Assert.Equal(42, ServerProbe.ParseVmRssKb("VmRSS: 42 kB"));
        Assert.Null(ServerProbe.ParseVmRssKb("Name:\tkthreadd\n"));
    }

    [Fact]
    public void Cpu_ticks_are_counted_from_after_the_command_name_even_when_it_holds_spaces_and_parentheses()
    {
        const string Fields = " S 1 32417 26133 0 -1 4194304 13305 0 49 0 248 54 0 0 20 0 19 0";
        Assert.Equal(248 + 54, ServerProbe.ParseCpuTicks("32423 (dotnet)" + Fields));
        Assert.Equal(248 + 54, ServerProbe.ParseCpuTicks("32423 (my (odd) server)" + Fields));
        Assert.Null(ServerProbe.ParseCpuTicks("32423 (dotnet) S 1 2"));
        Assert.Null(ServerProbe.ParseCpuTicks("garbage"));
    }

    [Fact]
    public void Cpu_percent_and_memory_per_watcher_come_from_two_samples()
    {
        var second = System.Diagnostics.Stopwatch.Frequency;
        var before = new ServerSample(RssKb: 100_000, CpuTicks: 1_000, Timestamp: 0);
        var after = new ServerSample(RssKb: 130_000, CpuTicks: 1_150, Timestamp: 2 * second);

        Assert.Equal(75, ServerProbe.CpuPercent(before, after));
        Assert.Equal(30, ServerProbe.KbPerWatcher(before, after, watchers: 1_000));
        Assert.Null(ServerProbe.KbPerWatcher(before, after, watchers: 0));
    }

    [Fact]
    public void The_probe_reads_this_process_and_nothing_for_a_process_that_is_not_there()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        Assert.True(new ServerProbe(Environment.ProcessId).TrySample() is { RssKb: > 0 });
        Assert.Null(new ServerProbe(int.MaxValue).TrySample());
    }

    [Fact]
    public void Seq_tracker_says_where_a_catch_up_continues_from()
    {
        var seen = new SeqTracker(alreadySeen: 4);
        seen.TryAdd(5);
        seen.TryAdd(7);
        Assert.Equal(5, seen.Contiguous);
        seen.TryAdd(6);
        Assert.Equal(7, seen.Contiguous);
    }

    [Fact]
    public void Reconnect_retries_start_fast_spread_out_and_stay_under_a_second_and_a_half()
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var delay = Watcher.RetryDelay(attempt);
            Assert.InRange(delay.TotalMilliseconds, 50 * Math.Min(10, Math.Pow(2, attempt)), 1_500);
        }
    }

    [Fact]
    public void Bare_hub_serves_a_catch_up_from_its_log_and_truncates_as_the_server_does()
    {
        var threads = new BaselineThreads();
        for (var i = 0; i < 1_200; i++)
        {
            threads.AppendReply(1, parentReplyId: null, $"r{i}");
        }

        Assert.Equal(1_200, threads.LatestSeq(1));
        Assert.Equal([1_199L, 1_200L], threads.CatchUp(1, 1_198).Events.Select(e => e.Seq));
        Assert.True(threads.CatchUp(1, 600).Truncated);
        Assert.Equal(500, threads.CatchUp(1, 700).Events.Count);
        Assert.Equal(0, threads.CatchUp(2, 0).LatestSeq);
    }

    [Fact]
    public void Bare_hub_typing_sends_the_whole_list()
    {
        var threads = new BaselineThreads();
        threads.Typing(1, "a", null, isTyping: true);
        Assert.Equal(2, threads.Typing(1, "b", 5, isTyping: true).Typists.Count);
        Assert.Equal("b", Assert.Single(threads.Typing(1, "a", null, isTyping: false).Typists).UserId);
    }

    private static ThreadEventDto Reply(long seq, string body) => new(
        1, seq, ThreadEventTypes.ReplyPosted, DateTimeOffset.UtcNow,
        new ReplyDto(seq, 1, null, new AuthorDto("a", null), false, body, body, DateTimeOffset.UtcNow, null, ReplyState.Visible));
}
