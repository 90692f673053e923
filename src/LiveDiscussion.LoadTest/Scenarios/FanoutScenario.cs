using System.Diagnostics;
using System.Globalization;
using LiveDiscussion.LoadTest.Cli;
using LiveDiscussion.LoadTest.Client;
using LiveDiscussion.LoadTest.Measuring;
using LiveDiscussion.LoadTest.Reporting;

namespace LiveDiscussion.LoadTest.Scenarios;

/// <summary>
/// One thread, N watchers, replies at R/s: how fast does each reply reach every reader? Watchers are connected first
/// (in steps), then an unmeasured warm-up at the same rate, then the measured open-loop schedule, then a bounded wait
/// for stragglers. Other scenarios on one thread (close) run the same way with other <see cref="IScheduledSends"/>.
/// </summary>
public sealed class FanoutScenario(LoadOptions options, TextWriter output, FanoutScenario.Workload workload)
{
    /// <summary>What differs between scenarios run here: the marker kind, the thread's description, and the sends.</summary>
    public sealed record Workload(
        string MarkerKind,
        string ThreadDescription,
        Func<DiscussionApi, long, ReplyMarker, IScheduledSends> Sends);

    // Gives the first sends a moment after the recorder exists, so send #0 is not born late.
    private static readonly TimeSpan StartLead = TimeSpan.FromMilliseconds(100);

    private readonly ErrorLog _errors = new();
    private DeliveryRecorder? _recorder;

    private string ProtocolName => options.Protocol == WireProtocol.MessagePack ? "messagepack" : "json";

    public static Task<ScenarioResult> RunAsync(LoadOptions options, TextWriter output, CancellationToken ct) =>
        new FanoutScenario(options, output, new Workload(
            "reply",
            $"Fan-out load test: {options.Watchers} watchers, {options.Rate}/s for {options.Seconds} s.",
            (api, threadId, marker) => new ReplySends(api, threadId, marker))).RunAsync(ct);

    public async Task<ScenarioResult> RunAsync(CancellationToken ct)
    {
        using var http = new SharedHttp(options.Url);
        var api = new DiscussionApi(http.Api);
        if (options.Email is { } email)
        {
            await api.SignInAsync(email, options.Password!, ct);
        }

        var marker = ReplyMarker.CreateForNewRun(workload.MarkerKind);
        var threadId = await api.StartThreadAsync($"Load test {marker.RunTag}", workload.ThreadDescription, ct);
        output.WriteLine($"{options.Scenario}: thread {threadId} on {options.Url}, run {marker.RunTag}, {ProtocolName} protocol");

        await using var progress = new ProgressReporter(output);
        var watchers = new List<Watcher>(options.Watchers);
        try
        {
            await ConnectWatchersAsync(new HubClientFactory(http, options.Protocol, api.AccessToken), threadId, watchers, progress, ct);
            var phase = new Phase(api, threadId, watchers.Count, progress);
            if (options.WarmUpSeconds > 0)
            {
                // Both ends JIT-compile, tier up and fill their pools here, so the measured seconds see steady state.
                await RunScheduleAsync(phase, marker.ForWarmUp(), new OpenLoopSchedule(options.Rate, options.WarmUpSeconds), "warm-up ", ct);
            }

            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var (recorder, sender, start) = await RunScheduleAsync(
                phase, marker, new OpenLoopSchedule(options.Rate, options.Seconds), "", ct);
            var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
            return Summarize(recorder, sender, start, cpu);
        }
        finally
        {
            progress.Show(null);
            await Task.WhenAll(watchers.Select(w => w.DisposeAsync().AsTask()));
        }
    }

    private async Task ConnectWatchersAsync(
        HubClientFactory factory, long threadId, List<Watcher> watchers, ProgressReporter progress, CancellationToken ct)
    {
        var attempted = 0;
        progress.Show(() => $"connecting: {Volatile.Read(ref attempted)}/{options.Watchers} started, errors {_errors.Count}");

        // Steps keep a large run from opening every socket at once, which measures the accept queue, not the hub.
        for (var first = 0; first < options.Watchers; first += options.RampStep)
        {
            var count = Math.Min(options.RampStep, options.Watchers - first);
            Interlocked.Add(ref attempted, count);
            var step = Enumerable.Range(first, count).Select(number => ConnectOneAsync(factory, number, threadId, ct));
            watchers.AddRange((await Task.WhenAll(step)).OfType<Watcher>());
        }

        if (watchers.Count == 0)
        {
            throw new LoadRunException($"No watcher could watch the thread. First error: {_errors.Samples.FirstOrDefault()}");
        }

        output.WriteLine($"{options.Scenario}: {watchers.Count}/{options.Watchers} watchers watching");
    }

    private async Task<Watcher?> ConnectOneAsync(HubClientFactory factory, int number, long threadId, CancellationToken ct)
    {
        var watcher = new Watcher(number, factory.Create());
        try
        {
            await watcher.StartAsync(threadId, () => _recorder, _errors, ct);
            return watcher;
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            _errors.Add($"watcher {number} could not watch: {ex.Message}");
            await watcher.DisposeAsync();
            return null;
        }
    }

    private async Task<(DeliveryRecorder Recorder, OpenLoopSender Sender, long Start)> RunScheduleAsync(
        Phase phase, ReplyMarker marker, OpenLoopSchedule schedule, string label, CancellationToken ct)
    {
        var start = Stopwatch.GetTimestamp() + (long)(StartLead.TotalSeconds * Stopwatch.Frequency);
        var sends = workload.Sends(phase.Api, phase.ThreadId, marker);
        var recorder = new DeliveryRecorder(sends.IndexOf, schedule.IntendedTimestamps(start), phase.Recipients, sends.IsMeasured);
        _recorder = recorder;
        var sender = new OpenLoopSender(recorder, _errors, sends.SendAsync);

        long lastDeliveries = 0;
        phase.Progress.Show(() =>
        {
            var deliveries = recorder.Deliveries;
            var line = string.Create(CultureInfo.InvariantCulture,
                $"{label}[{Stopwatch.GetElapsedTime(start).TotalSeconds,5:F1} s] sent {sender.Started}/{schedule.Count}, " +
                $"deliveries {deliveries:N0} (+{deliveries - lastDeliveries:N0}/s), p99 {recorder.PerRecipient.PercentileMs(99):F1} ms, " +
                $"fan-out p99 {recorder.FanoutCompletion.PercentileMs(99):F1} ms, errors {_errors.Count}");
            lastDeliveries = deliveries;
            return line;
        });
        await sender.RunAsync(schedule.Count, ct);
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

        return (recorder, sender, start);
    }

    private ScenarioResult Summarize(DeliveryRecorder recorder, OpenLoopSender sender, long start, TimeSpan cpu)
    {
        var wall = Stopwatch.GetElapsedTime(start);

        // The run's window ends at the schedule's end or the last delivery, whichever is later.
        var lastDelivery = recorder.LastDeliveryTimestamp;
        var window = Math.Max(options.Seconds, lastDelivery > start ? (lastDelivery - start) / (double)Stopwatch.Frequency : 0);
        var accepted = recorder.PostedCount;

        return new ScenarioResult(
            Scenario: options.Scenario,
            Url: options.Url.ToString(),
            Protocol: ProtocolName,
            Watchers: options.Watchers,
            WatchersConnected: recorder.Recipients,
            Rate: options.Rate,
            Seconds: options.Seconds,
            Posts: recorder.MeasuredCount,
            PostsAccepted: accepted,
            Deliveries: recorder.Deliveries,
            ExpectedDeliveries: (long)accepted * recorder.Recipients,
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
            Errors: _errors.Count,
            ErrorSamples: _errors.Samples,
            ToolCpuPercentOfOneCore: Math.Round(100 * cpu.TotalSeconds / wall.TotalSeconds, 1));
    }

    /// <summary>What every schedule of one run shares.</summary>
    private sealed record Phase(DiscussionApi Api, long ThreadId, int Recipients, ProgressReporter Progress);
}
