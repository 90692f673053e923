using System.Diagnostics;
using System.Globalization;
using LiveDiscussion.LoadTest.Cli;
using LiveDiscussion.LoadTest.Client;
using LiveDiscussion.LoadTest.Measuring;
using LiveDiscussion.LoadTest.Reporting;

namespace LiveDiscussion.LoadTest.Scenarios;

/// <summary>
/// Most readers are Blazor Server circuits, not hub clients: N circuits (<see cref="CircuitConnection"/>, no browser)
/// open one thread's page <c>/t/{id}/{slug}</c> while replies are posted to it on the open-loop schedule. Measured:
/// the server's memory per circuit (VmRSS once the first circuit is up, and once all are, over the others), the time from each reply's
/// intended send to the render batch that shows it at each circuit, renders missed by the end of the drain, and the
/// server's CPU per render. Then, in the same run, as many hub watchers on the same thread at the same rate
/// (<see cref="FanoutScenario"/>), so the server's CPU per circuit render stands beside its CPU per hub delivery.
/// The circuits go first, so their memory is read on a node no watcher has used yet.
/// </summary>
public sealed class CircuitsScenario(LoadOptions options, TextWriter output)
{
    private const string ProtocolName = "blazorpack (Blazor Server circuits)";

    // Gives the first sends a moment after the recorder exists, so send #0 is not born late.
    private static readonly TimeSpan StartLead = TimeSpan.FromMilliseconds(100);

    // A circuit that has not rendered by then is counted as failed rather than holding up the ramp.
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan PingInterval = TimeSpan.FromSeconds(15);

    private readonly ErrorLog _errors = new();
    private readonly LatencyHistogram _startTime = new();
    private readonly ServerProbe? _probe = options.ServerPid is { } pid ? new ServerProbe(pid) : null;

    public static Task<ScenarioResult> RunAsync(LoadOptions options, TextWriter output, CancellationToken ct) =>
        new CircuitsScenario(options, output).RunAsync(ct);

    public async Task<ScenarioResult> RunAsync(CancellationToken ct)
    {
        using var http = new SharedHttp(options.Url);
        var api = new DiscussionApi(http.Api);
        await api.SignInAsync(options.Email!, options.Password!, ct);

        var marker = ReplyMarker.CreateForNewRun("reply");
        var (threadId, slug) = await api.StartThreadWithSlugAsync(
            $"Load test {marker.RunTag}", $"Circuits load test: {options.Watchers} circuits, {options.Rate}/s.", ct);
        await PostEarlierRepliesAsync(api, threadId, marker, ct);
        var pagePath = $"t/{threadId}/{slug}";
        output.WriteLine($"{options.Scenario}: thread {threadId} (/{pagePath}) on {options.WatchTarget}, run {marker.RunTag}");

        var circuits = await MeasureCircuitsAsync(api, threadId, pagePath, marker, ct);

        output.WriteLine($"{options.Scenario}: now {options.Watchers} hub watchers on the same thread at the same rate");
        var hubOptions = options with { Scenario = ScenarioNames.Fanout, JsonFile = null, ThreadId = threadId };
        var hub = await new FanoutScenario(hubOptions, output, FanoutScenario.WorkloadFor(hubOptions)).RunAsync(ct);

        return circuits with
        {
            HubWatchers = hub,
            CircuitToHubCpuRatio = circuits.ServerCpuMicrosPerDelivery is { } perRender
                && hub.ServerCpuMicrosPerDelivery is { } perDelivery and > 0
                    ? Math.Round(perRender / perDelivery, 2)
                    : null,
        };
    }

    /// <summary>
    /// --thread-replies: what readers find on the page before the load starts. The page's size sets a circuit's memory
    /// and its first render, so a run can be made on a thread as long as the ones people read.
    /// </summary>
    private async Task PostEarlierRepliesAsync(DiscussionApi api, long threadId, ReplyMarker marker, CancellationToken ct)
    {
        for (var i = 0; i < options.ThreadReplies; i++)
        {
            var body = string.Create(CultureInfo.InvariantCulture,
                $"Earlier reply {i} of run {marker.RunTag}. It says what a reader says in a discussion: a point, a reason for it, and a question back. Long enough to wrap over a few lines on a phone, short enough to read at a glance.");
            if (await api.PostReplyAsync(threadId, new Contracts.NewReplyRequest(null, body, $"load-{marker.RunTag}-earlier-{i}"), ct) is { } problem)
            {
                throw new LoadRunException($"Posting the thread's earlier reply {i} failed: {problem}");
            }
        }
    }

    private async Task<ScenarioResult> MeasureCircuitsAsync(
        DiscussionApi api, long threadId, string pagePath, ReplyMarker marker, CancellationToken ct)
    {
        // Readers are signed out: a separate handler, so the poster's bearer token never reaches a page.
        using var readerHttp = new SharedHttp(options.WatchTarget, options.WatchOverHttp2);
        var shared = new CircuitConnection.Shared(readerHttp, _errors);
        var pageUrl = new Uri(readerHttp.BaseUrl, pagePath);
        var circuits = new List<CircuitConnection>(options.Watchers);
        await using var progress = new ProgressReporter(output);
        using var stopPings = new CancellationTokenSource();
        var pings = Task.CompletedTask;
        try
        {
            // The first circuit alone: what a node loads once for any circuit (assemblies, JIT, pools) is not counted
            // against each of the others.
            await StartCircuitsAsync(shared, pageUrl, circuits, 0, 1, progress, ct);
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
            var beforeCircuits = _probe?.TrySample();
            var countedFrom = circuits.Count;
            await StartCircuitsAsync(shared, pageUrl, circuits, 1, options.Watchers, progress, ct);
            if (circuits.Count == 0)
            {
                throw new LoadRunException($"No circuit could start on {pageUrl}. First error: {_errors.Samples.FirstOrDefault()}");
            }

            output.WriteLine($"{options.Scenario}: {circuits.Count}/{options.Watchers} circuits up on {pageUrl}");

            // Let the circuits' first renders and JS calls settle before memory is read.
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
            var up = _probe?.TrySample();
            pings = PingAsync(circuits, stopPings.Token);

            if (options.WarmUpSeconds > 0)
            {
                await RunScheduleAsync(shared, api, threadId, circuits, marker.ForWarmUp(),
                    new OpenLoopSchedule(options.Rate, options.WarmUpSeconds), "warm-up ", progress, ct);
            }

            ToolHeap.Settle();
            var serverBefore = _probe?.TrySample();
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var (recorder, sender, start) = await RunScheduleAsync(
                shared, api, threadId, circuits, marker, new OpenLoopSchedule(options.Rate, options.Seconds), "", progress, ct);
            var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
            var serverAfter = _probe?.TrySample();

            var result = FanoutScenario.Summarize(options, ProtocolName, recorder, sender, start, cpu, _errors) with
            {
                RenderBatches = shared.RenderBatches,
                JsCallsAnswered = shared.JsCalls.OrderBy(call => call.Key, StringComparer.Ordinal)
                    .ToDictionary(call => call.Key, call => call.Value, StringComparer.Ordinal),
            };
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{options.Scenario}: circuit start p50/p99/max {_startTime.PercentileMs(50):F0}/{_startTime.PercentileMs(99):F0}/{_startTime.MaxMs:F0} ms; JS calls answered: {string.Join(", ", result.JsCallsAnswered.Select(call => $"{call.Key} x{call.Value}"))}"));
            return beforeCircuits is null || up is null || serverBefore is null || serverAfter is null
                ? result
                : result with
                {
                    ServerCpuPercent = ServerProbe.CpuPercent(serverBefore, serverAfter),
                    ServerCpuMicrosPerDelivery = ServerProbe.CpuMicrosPer(serverBefore, serverAfter, result.Deliveries),
                    ServerRssBeforeMb = Math.Round(beforeCircuits.RssKb / 1024.0, 1),
                    ServerRssAfterMb = Math.Round(up.RssKb / 1024.0, 1),
                    ServerKbPerCircuit = ServerProbe.KbPerWatcher(beforeCircuits, up, circuits.Count - countedFrom),
                };
        }
        finally
        {
            progress.Show(null);
            await stopPings.CancelAsync();
            await pings;
            foreach (var circuit in circuits)
            {
                circuit.Dispose();
            }
        }
    }

    /// <summary>Starts circuits number <paramref name="from"/> up to (not including) <paramref name="to"/>.</summary>
    private async Task StartCircuitsAsync(
        CircuitConnection.Shared shared, Uri pageUrl, List<CircuitConnection> circuits, int from, int to, ProgressReporter progress,
        CancellationToken ct)
    {
        var attempted = from;
        progress.Show(() => $"starting circuits: {Volatile.Read(ref attempted)}/{options.Watchers} started, errors {_errors.Count}{ServerNow()}");

        // Steps keep a large run from prerendering every page at once, which would measure the ramp, not the circuits.
        for (var first = from; first < to; first += options.RampStep)
        {
            var count = Math.Min(options.RampStep, to - first);
            Interlocked.Add(ref attempted, count);
            var step = Enumerable.Range(first, count).Select(number => StartOneAsync(shared, number, pageUrl, ct));
            circuits.AddRange((await Task.WhenAll(step)).OfType<CircuitConnection>());
        }
    }

    private async Task<CircuitConnection?> StartOneAsync(CircuitConnection.Shared shared, int number, Uri pageUrl, CancellationToken ct)
    {
        var circuit = new CircuitConnection(number, shared);
        var began = Stopwatch.GetTimestamp();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(StartLimit);
        try
        {
            await circuit.StartAsync(pageUrl, limit.Token);
            _startTime.RecordElapsed(began, Stopwatch.GetTimestamp());
            return circuit;
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            _errors.Add($"circuit {number} could not start: {(limit.IsCancellationRequested ? $"not rendered within {StartLimit.TotalSeconds:0} s" : ex.Message)}");
            circuit.Dispose();
            return null;
        }
    }

    private static async Task PingAsync(IReadOnlyList<CircuitConnection> circuits, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(PingInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                foreach (var circuit in circuits)
                {
                    circuit.Ping();
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The run is over.
        }
    }

    private async Task<(DeliveryRecorder Recorder, OpenLoopSender Sender, long Start)> RunScheduleAsync(
        CircuitConnection.Shared shared, DiscussionApi api, long threadId, IReadOnlyList<CircuitConnection> circuits,
        ReplyMarker marker, OpenLoopSchedule schedule, string label, ProgressReporter progress, CancellationToken ct)
    {
        var start = Stopwatch.GetTimestamp() + (long)(StartLead.TotalSeconds * Stopwatch.Frequency);
        var sends = new ReplySends(api, threadId, marker);
        var recorder = new DeliveryRecorder(_ => -1, schedule.IntendedTimestamps(start), circuits.Count, _ => true);
        shared.Renders = new RenderedReplies(marker, recorder, options.Watchers, schedule.Count);
        var sender = new OpenLoopSender(recorder, _errors, sends.SendAsync);

        long lastDeliveries = 0;
        progress.Show(() =>
        {
            var deliveries = recorder.Deliveries;
            var line = string.Create(CultureInfo.InvariantCulture,
                $"{label}[{Stopwatch.GetElapsedTime(start).TotalSeconds,5:F1} s] sent {sender.Started}/{schedule.Count}, " +
                $"renders {deliveries:N0} (+{deliveries - lastDeliveries:N0}/s), p99 {recorder.PerRecipient.PercentileMs(99):F1} ms, " +
                $"circuits alive {circuits.Count(c => c.IsAlive)}/{circuits.Count}, errors {_errors.Count}{ServerNow()}");
            lastDeliveries = deliveries;
            return line;
        });
        await sender.RunAsync(schedule.Count, ct);

        progress.Show(() => $"{label}draining: {recorder.Outstanding():N0} renders outstanding");
        var deadline = Stopwatch.GetTimestamp() + (long)(options.DrainTimeout.TotalSeconds * Stopwatch.Frequency);
        while (recorder.Outstanding() > 0 && Stopwatch.GetTimestamp() < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), ct);
        }

        shared.Renders = null;
        var period = options.Seconds / (double)schedule.Count;
        foreach (var (index, reached, owed) in recorder.ShortSends().Take(10))
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{label}missed: reply {index} (due at {index * period:F1} s) rendered at {reached} of {owed} circuits"));
        }

        return (recorder, sender, start);
    }

    private string ServerNow() =>
        _probe?.TrySample() is { } sample ? string.Create(CultureInfo.InvariantCulture, $", server RSS {sample.RssKb / 1024.0:F0} MB") : "";
}
