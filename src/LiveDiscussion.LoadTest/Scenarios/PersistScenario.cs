using System.Diagnostics;
using System.Globalization;
using LiveDiscussion.Contracts;
using LiveDiscussion.LoadTest.Baseline;
using LiveDiscussion.LoadTest.Cli;
using LiveDiscussion.LoadTest.Client;
using LiveDiscussion.LoadTest.Measuring;
using LiveDiscussion.LoadTest.Reporting;
using Microsoft.Data.Sqlite;

namespace LiveDiscussion.LoadTest.Scenarios;

/// <summary>
/// How many replies per second the server stores, durable before it answers: P posters post to one thread, each its
/// next reply as soon as the last was acknowledged, for --seconds (after an unmeasured warm-up). The thread's latest
/// seq is read back afterwards, so a reply acknowledged but not stored counts as missed. Then, unless --no-baseline,
/// the same P posters write rows of the same size straight into SQLite (<see cref="SqliteInsertBaseline"/>), or with
/// --baseline-postgres into the PostgreSQL database a node on PostgreSQL uses (<see cref="PostgresInsertBaseline"/>).
/// </summary>
public sealed class PersistScenario(LoadOptions options, TextWriter output)
{
    private readonly ServerProbe? _probe = options.ServerPid is { } pid ? new ServerProbe(pid) : null;

    public static Task<ScenarioResult> RunAsync(LoadOptions options, TextWriter output, CancellationToken ct) =>
        new PersistScenario(options, output).RunAsync(ct);

    public async Task<ScenarioResult> RunAsync(CancellationToken ct)
    {
        using var http = new SharedHttp(options.Url);
        var api = new DiscussionApi(http.Api);
        if (options.Email is { } email)
        {
            await api.SignInAsync(email, options.Password!, ct);
        }

        var marker = ReplyMarker.CreateForNewRun("persist");
        var threadId = await api.StartThreadAsync(
            $"Load test {marker.RunTag}", $"Persist load test: {options.Posters} posters for {options.Seconds} s.", ct);
        if (options.PostAsMember)
        {
            // The thread is the --email account's; the replies are a member's, held to the node's posting limits.
            await SignInAsNewMemberAsync(api, marker, "poster", ct);
        }

        output.WriteLine($"{options.Scenario}: thread {threadId} on {options.Url}, run {marker.RunTag}, {options.Posters} posters via the {(options.PostVia == PostVia.Hub ? "hub's PostReply" : "JSON API")}");

        await using var hubPosters = options.PostVia == PostVia.Hub
            ? await HubPosters.ConnectAsync(
                new HubClientFactory(http, options.Protocol, api.AccessToken), options.Client, options.Posters, ct)
            : null;

        Task<string?> Post(ReplyMarker m, int poster, int index, CancellationToken token) => hubPosters is null
            ? api.PostReplyAsync(threadId, new NewReplyRequest(null, m.Body(index), m.ClientRequestId(index)), token)
            : hubPosters.PostAsync(poster, new PostReplyRequest(threadId, null, m.Body(index), m.ClientRequestId(index)), token);

        await using var progress = new ProgressReporter(output);
        long stored = 0;
        if (options.WarmUpSeconds > 0)
        {
            var warmUp = new ClosedLoopPosters(options.Posters, new ErrorLog());
            progress.Show(() => $"warm-up: {warmUp.Accepted:N0} stored");
            await warmUp.RunAsync(TimeSpan.FromSeconds(options.WarmUpSeconds), RunLimits.MaxPosts, (p, i, t) => Post(marker.ForWarmUp(), p, i, t), ct);
            stored += warmUp.Accepted;
        }

        var errors = new ErrorLog();
        var posters = new ClosedLoopPosters(options.Posters, errors);
        var serverBefore = _probe?.TrySample();
        var result = await MeasureAsync(posters, errors, progress, "", (p, i, t) => Post(marker, p, i, t), ct);
        stored += posters.Accepted;

        if (options.Attackers > 0)
        {
            var attacked = await MeasureUnderAttackAsync(threadId, marker, progress, (p, i, t) => Post(marker.ForAttackRun(), p, i, t), ct);
            stored += attacked.PostsAccepted;
            result = attacked with
            {
                WithoutAttacker = result,
                AttackerP99Ratio = result.PostAckP99Ms > 0 ? Math.Round(attacked.PostAckP99Ms / result.PostAckP99Ms, 2) : null,
            };
        }

        // Read back: every acknowledged reply is one event, so the thread's latest seq must have reached their count.
        var latestSeq = await api.LatestSeqAsync(threadId, after: stored, ct);
        result = result with
        {
            Missed = latestSeq is { } latest ? Math.Max(0, stored - latest) : 0,
            Storage = latestSeq is { } seq
                ? $"the server's; read back: latest seq {seq:N0} for {stored:N0} acknowledged replies"
                : "the server's; not read back (no event log at this URL)",
        };

        if (_probe?.TrySample() is { } serverAfter && serverBefore is not null)
        {
            result = result with
            {
                ServerCpuPercent = ServerProbe.CpuPercent(serverBefore, serverAfter),
                ServerRssBeforeMb = Math.Round(serverBefore.RssKb / 1024.0, 1),
                ServerRssAfterMb = Math.Round(serverAfter.RssKb / 1024.0, 1),
            };
        }

        if (options.NoBaseline)
        {
            return result;
        }

        if (options.BaselinePostgres is { } postgres)
        {
            output.WriteLine($"baseline: the same {options.Posters} posters inserting straight into PostgreSQL");
            return result.WithBaseline(await RunPostgresBaselineAsync(postgres, marker, progress, ct));
        }

        output.WriteLine($"baseline: the same {options.Posters} posters inserting straight into SQLite");
        return result.WithBaseline(await RunSqliteBaselineAsync(marker, progress, ct));
    }

    private async Task SignInAsNewMemberAsync(DiscussionApi api, ReplyMarker marker, string who, CancellationToken ct)
    {
        var email = $"{who}-{marker.RunTag}-{Guid.NewGuid():N}@load.test";
        const string password = "load-test-member-1";
        await api.RegisterAsync(email, password, ct);
        await api.SignInAsync(email, password, ct);
    }

    /// <summary>
    /// The largest body a reply may have, nested as deep as it goes: what Markdig spends longest on before it refuses
    /// it. The server must turn it away (400) before its write transaction, and a limited member's flood (429) first.
    /// </summary>
    public static readonly string MaximalNesting = new string('>', Limits.BodyMaxLength - 2) + " x";

    /// <summary>
    /// The posters again, while another member floods the same thread from --attackers connections, each sending its
    /// next reply as soon as the last was answered (whatever the answer): maximal nesting and plain replies in turn.
    /// </summary>
    private async Task<ScenarioResult> MeasureUnderAttackAsync(
        long threadId, ReplyMarker marker, ProgressReporter progress, Func<int, int, CancellationToken, Task<string?>> post,
        CancellationToken ct)
    {
        using var attackerHttp = new SharedHttp(options.Url);
        var attacker = new DiscussionApi(attackerHttp.Api);
        await SignInAsNewMemberAsync(attacker, marker, "attacker", ct);
        output.WriteLine($"attack: the same {options.Posters} posters while another member floods thread {threadId} on {options.Attackers} connections");

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        long sends = 0;
        long refused = 0;
        var attackers = Enumerable.Range(0, options.Attackers).Select(a => Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var body = i % 2 == 0 ? MaximalNesting : $"flood {a}-{i} {marker.RunTag}";
                try
                {
                    if (await attacker.PostReplyAsync(threadId, new NewReplyRequest(null, body), stop.Token) is not null)
                    {
                        Interlocked.Increment(ref refused);
                    }
                }
                catch (Exception) when (stop.IsCancellationRequested)
                {
                    return;
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref refused);
                }

                Interlocked.Increment(ref sends);
            }
        }, CancellationToken.None)).ToList();

        var errors = new ErrorLog();
        var posters = new ClosedLoopPosters(options.Posters, errors);
        ScenarioResult result;
        try
        {
            result = await MeasureAsync(posters, errors, progress, "attacked ", post, ct);
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(attackers);
        }

        return result with { AttackerSends = sends, AttackerRefused = refused };
    }

    private async Task<ScenarioResult> RunSqliteBaselineAsync(ReplyMarker marker, ProgressReporter progress, CancellationToken ct)
    {
        using var sqlite = new SqliteInsertBaseline();
        var connections = Enumerable.Range(0, options.Posters).Select(_ => sqlite.Open()).ToArray();
        try
        {
            Task<string?> Insert(ReplyMarker m, int poster, int index)
            {
                sqlite.Insert(connections[poster], 1, m.Body(index));
                return Task.FromResult<string?>(null);
            }

            if (options.WarmUpSeconds > 0)
            {
                var warmUp = new ClosedLoopPosters(options.Posters, new ErrorLog());
                progress.Show(() => $"baseline warm-up: {warmUp.Accepted:N0} stored");
                await warmUp.RunAsync(TimeSpan.FromSeconds(options.WarmUpSeconds), RunLimits.MaxPosts, (p, i, _) => Insert(marker.ForWarmUp(), p, i), ct);
            }

            var before = sqlite.CountRows();
            var errors = new ErrorLog();
            var posters = new ClosedLoopPosters(options.Posters, errors);
            var result = await MeasureAsync(posters, errors, progress, "baseline ", (p, i, _) => Insert(marker, p, i), ct);
            var rows = sqlite.CountRows() - before;
            return result with
            {
                Url = $"sqlite:{sqlite.Path}",
                Protocol = "sqlite",
                Missed = Math.Max(0, posters.Accepted - rows),
                Storage = $"raw Microsoft.Data.Sqlite, {sqlite.Settings}, one connection per poster, one BEGIN IMMEDIATE transaction per row",
            };
        }
        finally
        {
            foreach (var connection in connections)
            {
                connection.Dispose();
            }

            SqliteConnection.ClearAllPools();
        }
    }

    private async Task<ScenarioResult> RunPostgresBaselineAsync(
        string connectionString, ReplyMarker marker, ProgressReporter progress, CancellationToken ct)
    {
        await using var postgres = await PostgresInsertBaseline.CreateAsync(connectionString, ct);
        var connections = new List<Npgsql.NpgsqlConnection>();
        try
        {
            for (var poster = 0; poster < options.Posters; poster++)
            {
                connections.Add(await postgres.OpenAsync(ct));
            }

            async Task<string?> Insert(ReplyMarker m, int poster, int index, CancellationToken token)
            {
                await postgres.InsertAsync(connections[poster], 1, m.Body(index), token);
                return null;
            }

            if (options.WarmUpSeconds > 0)
            {
                var warmUp = new ClosedLoopPosters(options.Posters, new ErrorLog());
                progress.Show(() => $"baseline warm-up: {warmUp.Accepted:N0} stored");
                await warmUp.RunAsync(TimeSpan.FromSeconds(options.WarmUpSeconds), RunLimits.MaxPosts, (p, i, t) => Insert(marker.ForWarmUp(), p, i, t), ct);
            }

            var before = await postgres.CountRowsAsync(ct);
            var errors = new ErrorLog();
            var posters = new ClosedLoopPosters(options.Posters, errors);
            var result = await MeasureAsync(posters, errors, progress, "baseline ", (p, i, t) => Insert(marker, p, i, t), ct);
            var rows = await postgres.CountRowsAsync(ct) - before;
            return result with
            {
                Url = postgres.Location,
                Protocol = "postgres",
                Missed = Math.Max(0, posters.Accepted - rows),
                Storage = $"raw Npgsql, {await postgres.SettingsAsync(ct)}, one connection per poster, one transaction per row",
            };
        }
        finally
        {
            foreach (var connection in connections)
            {
                await connection.DisposeAsync();
            }
        }
    }

    private string WireLabel => options.PostVia == PostVia.Hub
        ? $"hub PostReply ({options.Protocol.Name()}{(options.Client == WatcherClient.Raw ? ", raw client" : "")})"
        : "http";

    private async Task<ScenarioResult> MeasureAsync(
        ClosedLoopPosters posters, ErrorLog errors, ProgressReporter progress, string label,
        Func<int, int, CancellationToken, Task<string?>> post, CancellationToken ct)
    {
        ToolHeap.Settle();
        var start = Stopwatch.GetTimestamp();
        long lastAccepted = 0;
        progress.Show(() =>
        {
            var accepted = posters.Accepted;
            var line = string.Create(CultureInfo.InvariantCulture,
                $"{label}[{Stopwatch.GetElapsedTime(start).TotalSeconds,5:F1} s] stored {accepted:N0} (+{accepted - lastAccepted:N0}/s), " +
                $"ack p99 {posters.Ack.PercentileMs(99):F1} ms, errors {errors.Count}");
            lastAccepted = accepted;
            return line;
        });
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var elapsed = await posters.RunAsync(TimeSpan.FromSeconds(options.Seconds), RunLimits.MaxPosts, post, ct);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        progress.Show(null);

        var perSecond = Math.Round(posters.Accepted / elapsed.TotalSeconds, 1);
        return ScenarioResult.WithoutDeliveries(
            options.Scenario, options.Url.ToString(), WireLabel, options.Seconds, posters.Ack, errors,
            Math.Round(100 * cpu.TotalSeconds / elapsed.TotalSeconds, 1)) with
        {
            Posts = (int)posters.Attempted,
            PostsAccepted = (int)posters.Accepted,
            Deliveries = posters.Accepted,
            ExpectedDeliveries = posters.Accepted,
            DeliveriesPerSecond = perSecond,
            PostAckP50Ms = posters.Ack.PercentileMs(50),
            PostAckP99Ms = posters.Ack.PercentileMs(99),
            Posters = options.Posters,
            RepliesPerSecond = perSecond,
        };
    }
}
