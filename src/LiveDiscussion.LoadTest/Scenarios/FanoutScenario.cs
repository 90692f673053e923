using System.Diagnostics;
using System.Globalization;
using LiveDiscussion.LoadTest.Cli;
using LiveDiscussion.LoadTest.Client;
using LiveDiscussion.LoadTest.Measuring;
using LiveDiscussion.LoadTest.Reporting;

namespace LiveDiscussion.LoadTest.Scenarios;

/// <summary>
/// Threads, watchers on them, sends at R/s: how fast does each send reach every reader? Watchers are connected first
/// (in steps), then an unmeasured warm-up at the same rate, then the measured open-loop schedule, then a bounded wait
/// for stragglers. Every watcher scenario runs here, differing in its <see cref="Workload"/>: fanout (one thread),
/// many-threads (T threads, sends spread over them), close (other sends), typing (a second phase with typists),
/// reconnect (a node restart during the schedule) and idle (no sends at all: connect, then hold).
/// </summary>
public sealed class FanoutScenario(LoadOptions options, TextWriter output, FanoutScenario.Workload workload)
{
    /// <summary>What differs between scenarios run here: the marker kind, the thread's description, and the sends.</summary>
    public sealed record Workload(
        string MarkerKind,
        string ThreadDescription,
        Func<DiscussionApi, IReadOnlyList<long>, ReplyMarker, IScheduledSends> Sends)
    {
        /// <summary>typing: after a phase without them, this many typists join for a second measured phase.</summary>
        public int Typists { get; init; }

        /// <summary>reconnect: watchers reconnect and catch up, and the node is restarted during the schedule.</summary>
        public bool RestartsNode { get; init; }

        /// <summary>idle: no sends; the watchers are held for --seconds and the server's memory read.</summary>
        public bool Idle { get; init; }
    }

    // Gives the first sends a moment after the recorder exists, so send #0 is not born late.
    private static readonly TimeSpan StartLead = TimeSpan.FromMilliseconds(100);

    private readonly ErrorLog _errors = new();
    private readonly LatencyHistogram _connectTime = new();
    private readonly ServerProbe? _probe = options.ServerPid is { } pid ? new ServerProbe(pid) : null;
    private DeliveryRecorder? _recorder;
    private ServerSample? _beforeWatchers;
    private long _typingDeliveries;

    private string ProtocolName
    {
        get
        {
            string[] notes = [.. options.Client == WatcherClient.Raw ? ["raw client"] : Array.Empty<string>(),
                .. options.WatchOverHttp2 ? ["WebSockets over HTTP/2"] : Array.Empty<string>()];
            var name = options.Protocol.Name();
            return notes.Length == 0 ? name : $"{name} ({string.Join(", ", notes)})";
        }
    }

    public static Task<ScenarioResult> RunAsync(LoadOptions options, TextWriter output, CancellationToken ct) =>
        new FanoutScenario(options, output, WorkloadFor(options)).RunAsync(ct);

    /// <summary>The workload of each scenario run here, by name.</summary>
    public static Workload WorkloadFor(LoadOptions options)
    {
        Func<DiscussionApi, IReadOnlyList<long>, ReplyMarker, IScheduledSends> replies =
            (api, threads, marker) => new ReplySends(api, threads, marker);
        return options.Scenario switch
        {
            ScenarioNames.ManyThreads => new Workload(
                "reply", $"Many-threads load test: {options.Watchers} watchers on each of {options.ThreadCount} threads, {options.Rate}/s in all.", replies),
            ScenarioNames.Typing => new Workload(
                "reply", $"Typing load test: {options.Watchers} watchers, {options.Typists} typists, {options.Rate}/s.", replies)
            {
                Typists = options.Typists,
            },
            ScenarioNames.Reconnect => new Workload(
                "reply", $"Reconnect load test: {options.Watchers} watchers, {options.Rate}/s, node restarted.", replies)
            {
                RestartsNode = true,
            },
            ScenarioNames.Idle => new Workload(
                "reply", $"Idle load test: {options.Watchers} watchers on {options.ThreadCount} thread(s).", replies)
            {
                Idle = true,
            },
            _ => new Workload(
                "reply", $"Fan-out load test: {options.Watchers} watchers, {options.Rate}/s for {options.Seconds} s.", replies),
        };
    }

    public async Task<ScenarioResult> RunAsync(CancellationToken ct)
    {
        using var http = new SharedHttp(options.Url, overHttp2: options.WatchOverHttp2 && options.WatchUrl is null);
        using var watchHttp = options.WatchUrl is { } watchUrl ? new SharedHttp(watchUrl, options.WatchOverHttp2) : null;
        var api = new DiscussionApi(http.Api);
        if (options.Email is { } email)
        {
            await api.SignInAsync(email, options.Password!, ct);
        }

        var marker = ReplyMarker.CreateForNewRun(workload.MarkerKind);
        var threadIds = await StartThreadsAsync(api, marker, ct);
        var where = options.WatchUrl is { } other ? $"{options.Url}, watched on {other}" : options.Url.ToString();
        output.WriteLine(threadIds.Count == 1
            ? $"{options.Scenario}: thread {threadIds[0]} on {where}, run {marker.RunTag}, {ProtocolName} protocol"
            : $"{options.Scenario}: threads {threadIds.Min()}..{threadIds.Max()} ({threadIds.Count}) on {where}, run {marker.RunTag}, {ProtocolName} protocol");

        await using var progress = new ProgressReporter(output);
        var watchers = new List<Watcher>(options.TotalWatchers);
        try
        {
            _beforeWatchers = _probe?.TrySample();
            var factory = new HubClientFactory(watchHttp ?? http, options.Protocol, api.AccessToken);
            await ConnectWatchersAsync(factory, threadIds, watchers, progress, ct);
            if (workload.Idle)
            {
                return await HoldIdleAsync(watchers, threadIds.Count, progress, ct);
            }

            var perThread = new int[threadIds.Count];
            foreach (var watcher in watchers)
            {
                perThread[watcher.ThreadIndex]++;
            }

            var phase = new Phase(api, threadIds, watchers, perThread, progress);
            if (options.WarmUpSeconds > 0)
            {
                // Both ends JIT-compile, tier up and fill their pools here, so the measured seconds see steady state.
                await RunScheduleAsync(phase, marker.ForWarmUp(), new OpenLoopSchedule(options.Rate, options.WarmUpSeconds), "warm-up ", null, ct);
            }

            if (workload.Typists == 0)
            {
                return await MeasureAsync(phase, marker, "", ct);
            }

            var withoutTypists = await MeasureAsync(phase, new ReplyMarker($"{marker.RunTag}-quiet", marker.Kind), "no typists ", ct);
            await using var typists = await Typists.ConnectAsync(
                workload.Typists, api, watchHttp ?? http, options.Protocol, threadIds[0], marker.RunTag, _errors, ct);
            output.WriteLine($"{options.Scenario}: {workload.Typists} typists watching; measuring again with them typing");
            typists.Start();
            var typingBefore = Interlocked.Read(ref _typingDeliveries);
            var withTypists = await MeasureAsync(phase, marker, "typists ", ct);
            return withTypists with
            {
                Typists = workload.Typists,
                TypingSignals = typists.Signals,
                TypingDeliveries = Interlocked.Read(ref _typingDeliveries) - typingBefore,
                WithoutTypists = withoutTypists,
                TypingP50Ratio = Ratio(withTypists.P50Ms, withoutTypists.P50Ms),
                TypingP99Ratio = Ratio(withTypists.P99Ms, withoutTypists.P99Ms),
            };
        }
        finally
        {
            progress.Show(null);
            await Task.WhenAll(watchers.Select(w => w.DisposeAsync().AsTask()));
        }
    }

    private static double? Ratio(double value, double over) => over > 0 ? Math.Round(value / over, 3) : null;

    private async Task<IReadOnlyList<long>> StartThreadsAsync(DiscussionApi api, ReplyMarker marker, CancellationToken ct)
    {
        if (options.ThreadId is { } existing)
        {
            return [existing];
        }

        var count = options.ThreadCount;
        if (count == 1)
        {
            return [await api.StartThreadAsync($"Load test {marker.RunTag}", workload.ThreadDescription, ct)];
        }

        // A few at a time: hundreds of threads are set up in seconds without the set-up becoming a load test of its own.
        var ids = new long[count];
        var started = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct },
            async (i, token) =>
            {
                ids[i] = await api.StartThreadAsync($"Load test {marker.RunTag} #{i}", workload.ThreadDescription, token);
                if (Interlocked.Increment(ref started) % 100 == 0)
                {
                    output.WriteLine($"{options.Scenario}: {started}/{count} threads started");
                }
            });
        return ids;
    }

    private async Task ConnectWatchersAsync(
        HubClientFactory factory, IReadOnlyList<long> threadIds, List<Watcher> watchers, ProgressReporter progress, CancellationToken ct)
    {
        var total = options.TotalWatchers;
        var attempted = 0;
        progress.Show(() => $"connecting: {Volatile.Read(ref attempted)}/{total} started, errors {_errors.Count}{ServerNow()}");

        // Steps keep a large run from opening every socket at once, which measures the accept queue, not the hub.
        // Watcher n watches thread n mod T, so every step spreads over all threads.
        for (var first = 0; first < total; first += options.RampStep)
        {
            var count = Math.Min(options.RampStep, total - first);
            Interlocked.Add(ref attempted, count);
            var step = Enumerable.Range(first, count).Select(number => ConnectOneAsync(factory, number, threadIds, ct));
            watchers.AddRange((await Task.WhenAll(step)).OfType<Watcher>());
        }

        if (watchers.Count == 0)
        {
            throw new LoadRunException($"No watcher could watch the thread. First error: {_errors.Samples.FirstOrDefault()}");
        }

        output.WriteLine($"{options.Scenario}: {watchers.Count}/{total} watchers watching");
    }

    private async Task<Watcher?> ConnectOneAsync(HubClientFactory factory, int number, IReadOnlyList<long> threadIds, CancellationToken ct)
    {
        var threadIndex = number % threadIds.Count;
        var watcher = new Watcher(number, factory.CreateWatchConnection(options.Client), threadIndex)
        {
            Reconnect = workload.RestartsNode ? options.RestartTimeout : null,
            OnTyping = () => Interlocked.Increment(ref _typingDeliveries),
        };
        var began = Stopwatch.GetTimestamp();
        try
        {
            await watcher.StartAsync(threadIds[threadIndex], () => _recorder, _errors, ct);
            _connectTime.RecordElapsed(began, Stopwatch.GetTimestamp());
            return watcher;
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            _errors.Add($"watcher {number} could not watch: {ex.Message}");
            await watcher.DisposeAsync();
            return null;
        }
    }

    private async Task<ScenarioResult> MeasureAsync(Phase phase, ReplyMarker marker, string label, CancellationToken ct)
    {
        ToolHeap.Settle();
        var restart = workload.RestartsNode ? new NodeRestart(options, output, phase.Watchers, _errors) : null;
        var serverBefore = _probe?.TrySample();
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var (recorder, sender, start) = await RunScheduleAsync(
            phase, marker, new OpenLoopSchedule(options.Rate, options.Seconds), label, restart, ct);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        var result = WithServer(Summarize(recorder, sender, start, cpu), serverBefore, phase.Watchers.Count) with
        {
            Threads = phase.ThreadIds.Count > 1 ? phase.ThreadIds.Count : null,
        };

        return restart is null ? result : result with
        {
            RestartedBy = restart.RestartedBy,
            WatchersBack = restart.WatchersBack,
            ReconnectAllMs = restart.AllBackMs,
            ReconnectP50Ms = restart.BackAfter.PercentileMs(50),
            ReconnectP99Ms = restart.BackAfter.PercentileMs(99),
            ReconnectAttemptsFailed = restart.FailedAttempts,
            ReconnectAttemptsTimedOut = restart.TimedOutAttempts,
            PostsRefusedDuringRestart = sender.Excused,
        };
    }

    private async Task<(DeliveryRecorder Recorder, OpenLoopSender Sender, long Start)> RunScheduleAsync(
        Phase phase, ReplyMarker marker, OpenLoopSchedule schedule, string label, NodeRestart? restart, CancellationToken ct)
    {
        var start = Stopwatch.GetTimestamp() + (long)(StartLead.TotalSeconds * Stopwatch.Frequency);
        var sends = workload.Sends(phase.Api, phase.ThreadIds, marker);
        var recorder = new DeliveryRecorder(
            sends.IndexOf, schedule.IntendedTimestamps(start), phase.Watchers.Count, sends.IsMeasured,
            index => phase.PerThread[sends.ThreadIndexOf(index)]);
        _recorder = recorder;
        var sender = new OpenLoopSender(recorder, _errors, sends.SendAsync, restart is null ? null : () => restart.IsDown);

        long lastDeliveries = 0;
        phase.Progress.Show(() =>
        {
            var deliveries = recorder.Deliveries;
            var line = string.Create(CultureInfo.InvariantCulture,
                $"{label}[{Stopwatch.GetElapsedTime(start).TotalSeconds,5:F1} s] sent {sender.Started}/{schedule.Count}, " +
                $"deliveries {deliveries:N0} (+{deliveries - lastDeliveries:N0}/s), p99 {recorder.PerRecipient.PercentileMs(99):F1} ms, " +
                $"fan-out p99 {recorder.FanoutCompletion.PercentileMs(99):F1} ms, errors {_errors.Count}") +
                (restart is null ? "" : $", watchers connected {phase.Watchers.Count(w => w.IsConnected)}/{phase.Watchers.Count}") +
                ServerNow();
            lastDeliveries = deliveries;
            return line;
        });
        var restarting = restart?.RunAsync(start, ct) ?? Task.CompletedTask;
        await sender.RunAsync(schedule.Count, ct);
        await restarting;
        if (await sends.FinishAsync(schedule.Count, ct) is { } problem)
        {
            _errors.Add($"{label}after the schedule: {problem}");
        }

        phase.Progress.Show(() => $"{label}draining: {recorder.Outstanding():N0} deliveries outstanding");
        var deadline = Stopwatch.GetTimestamp() + (long)(options.DrainTimeout.TotalSeconds * Stopwatch.Frequency);
        while (recorder.Outstanding() > 0 && Stopwatch.GetTimestamp() < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), ct);
        }

        // Which replies were missed, and when they were due, is what tells a lost reply from a slow one.
        var period = options.Seconds / (double)schedule.Count;
        foreach (var (index, reached, owed) in recorder.ShortSends().Take(10))
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{label}missed: send {index} (due at {index * period:F1} s) reached {reached} of {owed} watchers"));
        }

        return (recorder, sender, start);
    }

    /// <summary>idle: the watchers stay connected for --seconds, doing nothing; then the server's memory is read.</summary>
    private async Task<ScenarioResult> HoldIdleAsync(List<Watcher> watchers, int threads, ProgressReporter progress, CancellationToken ct)
    {
        var serverBefore = _probe?.TrySample();
        var start = Stopwatch.GetTimestamp();
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        progress.Show(() => string.Create(CultureInfo.InvariantCulture,
            $"idle [{Stopwatch.GetElapsedTime(start).TotalSeconds,5:F1} s] {watchers.Count(w => w.IsConnected):N0}/{watchers.Count:N0} connected, errors {_errors.Count}{ServerNow()}"));
        await Task.Delay(TimeSpan.FromSeconds(options.Seconds), ct);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        var wall = Stopwatch.GetElapsedTime(start);
        var stillConnected = watchers.Count(w => w.IsConnected);

        var result = ScenarioResult.WithoutDeliveries(
            options.Scenario, options.Url.ToString(), ProtocolName, options.Seconds, _connectTime, _errors,
            Math.Round(100 * cpu.TotalSeconds / wall.TotalSeconds, 1)) with
        {
            Watchers = options.TotalWatchers,
            WatchersConnected = watchers.Count,
            HeldSeconds = options.Seconds,
            WatchersStillConnected = stillConnected,
            Threads = threads,
        };
        return WithServer(result, serverBefore, watchers.Count);
    }

    /// <summary>
    /// With --server-pid: CPU over the measured part (from <paramref name="measuredFrom"/>), and memory before the watchers
    /// connected and now, with the growth per watcher.
    /// </summary>
    private ScenarioResult WithServer(ScenarioResult result, ServerSample? measuredFrom, int watchers)
    {
        if (_probe?.TrySample() is not { } now)
        {
            return result;
        }

        return result with
        {
            ServerCpuPercent = measuredFrom is null ? null : ServerProbe.CpuPercent(measuredFrom, now),
            ServerCpuMicrosPerDelivery = measuredFrom is null ? null : ServerProbe.CpuMicrosPer(measuredFrom, now, result.Deliveries),
            ServerRssBeforeMb = _beforeWatchers is { } before ? Math.Round(before.RssKb / 1024.0, 1) : null,
            ServerRssAfterMb = Math.Round(now.RssKb / 1024.0, 1),
            ServerKbPerWatcher = _beforeWatchers is { } first ? ServerProbe.KbPerWatcher(first, now, watchers) : null,
        };
    }

    /// <summary>", server 12.3 MB" for progress lines when --server-pid is given.</summary>
    private string ServerNow() =>
        _probe?.TrySample() is { } sample ? string.Create(CultureInfo.InvariantCulture, $", server RSS {sample.RssKb / 1024.0:F0} MB") : "";

    private ScenarioResult Summarize(DeliveryRecorder recorder, OpenLoopSender sender, long start, TimeSpan cpu) =>
        Summarize(options, ProtocolName, recorder, sender, start, cpu, _errors);

    /// <summary>What a measured schedule of any watcher scenario delivered, from its recorder and sender.</summary>
    internal static ScenarioResult Summarize(
        LoadOptions options, string protocol, DeliveryRecorder recorder, OpenLoopSender sender, long start, TimeSpan cpu, ErrorLog errors)
    {
        var wall = Stopwatch.GetElapsedTime(start);

        // The run's window ends at the schedule's end or the last delivery, whichever is later.
        var lastDelivery = recorder.LastDeliveryTimestamp;
        var window = Math.Max(options.Seconds, lastDelivery > start ? (lastDelivery - start) / (double)Stopwatch.Frequency : 0);
        var accepted = recorder.PostedCount;

        return new ScenarioResult(
            Scenario: options.Scenario,
            Url: options.Url.ToString(),
            Protocol: protocol,
            Watchers: options.TotalWatchers,
            WatchersConnected: recorder.Recipients,
            Rate: options.Rate,
            Seconds: options.Seconds,
            Posts: recorder.MeasuredCount,
            PostsAccepted: accepted,
            Deliveries: recorder.Deliveries,
            ExpectedDeliveries: recorder.ExpectedDeliveries(),
            DeliveriesPerSecond: Math.Round(recorder.Deliveries / window, 1),
            P50Ms: recorder.PerRecipient.PercentileMs(50),
            P90Ms: recorder.PerRecipient.PercentileMs(90),
            P99Ms: recorder.PerRecipient.PercentileMs(99),
            MaxMs: recorder.PerRecipient.MaxMs,
            FanoutP50Ms: recorder.FanoutCompletion.PercentileMs(50),
            FanoutP90Ms: recorder.FanoutCompletion.PercentileMs(90),
            FanoutP99Ms: recorder.FanoutCompletion.PercentileMs(99),
            FanoutMaxMs: recorder.FanoutCompletion.MaxMs,
            SendLagP99Ms: sender.SendLag.PercentileMs(99),
            PostAckP50Ms: sender.PostAck.PercentileMs(50),
            PostAckP99Ms: sender.PostAck.PercentileMs(99),
            Missed: recorder.Outstanding(),
            Duplicates: recorder.Duplicates,
            Errors: errors.Count,
            ErrorSamples: errors.Samples,
            ToolCpuPercentOfOneCore: Math.Round(100 * cpu.TotalSeconds / wall.TotalSeconds, 1))
        {
            WatchUrl = options.WatchUrl?.ToString(),
        };
    }

    /// <summary>What every schedule of one run shares.</summary>
    private sealed record Phase(
        DiscussionApi Api, IReadOnlyList<long> ThreadIds, IReadOnlyList<Watcher> Watchers, int[] PerThread, ProgressReporter Progress);
}
