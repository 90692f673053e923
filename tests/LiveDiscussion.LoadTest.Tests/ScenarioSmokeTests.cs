using System.Diagnostics;
using System.Text;
using System.Text.Json;
using LiveDiscussion.Contracts;
using LiveDiscussion.LoadTest.Baseline;
using LiveDiscussion.LoadTest.Cli;
using LiveDiscussion.LoadTest.Client;
using LiveDiscussion.TestSupport;

namespace LiveDiscussion.LoadTest.Tests;

/// <summary>
/// One short run of each scenario beyond fanout, command line to JSON file, against the tool's own bare hub on a free
/// loopback port (<see cref="FreePort"/>), so none of them can rot. Tiny numbers: each takes a few seconds.
/// </summary>
public sealed class ScenarioSmokeTests : IAsyncLifetime
{
    private readonly BaselineThreads _threads = new();
    private readonly string _json = Path.Combine(Path.GetTempPath(), $"scenario-smoke-{Guid.NewGuid():N}.json");
    private Microsoft.AspNetCore.Builder.WebApplication _server;

    // Outside the ephemeral range, so the reconnect test's restarted server gets its port back.
    public ScenarioSmokeTests() => _server = BaselineServer.Build($"http://127.0.0.1:{FreePort.Next()}", _threads);

    private string Url => BaselineServer.Addresses(_server).Single();

    public Task InitializeAsync() => _server.StartAsync();

    public async Task DisposeAsync()
    {
        await _server.StopAsync();
        await _server.DisposeAsync();
        File.Delete(_json);
    }

    [Fact]
    public async Task Many_threads_delivers_each_reply_to_the_watchers_of_its_own_thread()
    {
        var root = await RunCleanAsync(
            "many-threads", "--url", Url, "--threads", "3", "--watchers", "2", "--rate", "15", "--seconds", "1", "--warmup-seconds", "0");

        Assert.Equal(3, root.GetProperty("threads").GetInt32());
        Assert.Equal(6, root.GetProperty("watchers").GetInt32());
        Assert.Equal(15, root.GetProperty("posts").GetInt32());
        Assert.Equal(15 * 2, root.GetProperty("deliveries").GetInt64());
        Assert.Equal(15 * 2, root.GetProperty("expectedDeliveries").GetInt64());
    }

    [Fact]
    public async Task Typing_measures_the_same_run_without_and_with_typists_and_reports_the_ratio()
    {
        var root = await RunCleanAsync(
            "typing", "--url", Url, "--watchers", "3", "--typists", "2", "--rate", "10", "--seconds", "2", "--warmup-seconds", "0");

        Assert.Equal(2, root.GetProperty("typists").GetInt32());
        Assert.True(root.GetProperty("typingSignals").GetInt64() > 0);
        Assert.True(root.GetProperty("typingDeliveries").GetInt64() > 0);
        Assert.Equal(3 * 20, root.GetProperty("deliveries").GetInt64());
        var quiet = root.GetProperty("withoutTypists");
        Assert.Equal(3 * 20, quiet.GetProperty("deliveries").GetInt64());
        Assert.Equal(0, quiet.GetProperty("missed").GetInt64());
        Assert.True(root.GetProperty("typingP99Ratio").GetDouble() > 0);
    }

    [Fact]
    public async Task Persist_reports_stored_replies_per_second_beside_the_raw_sqlite_baseline()
    {
        var root = await RunCleanAsync("persist", "--url", Url, "--posters", "2", "--seconds", "1", "--warmup-seconds", "0");

        Assert.Equal(2, root.GetProperty("posters").GetInt32());
        Assert.True(root.GetProperty("repliesPerSecond").GetDouble() > 0);
        Assert.Equal(root.GetProperty("postsAccepted").GetInt32(), root.GetProperty("posts").GetInt32());
        var baseline = root.GetProperty("baseline");
        AssertContractFields(baseline);
        Assert.Equal("sqlite", baseline.GetProperty("protocol").GetString());
        Assert.Contains("journal_mode=wal", baseline.GetProperty("storage").GetString());
        Assert.True(baseline.GetProperty("deliveriesPerSecond").GetDouble() > 0);
        Assert.True(root.GetProperty("ratioToBaseline").GetDouble() > 0);
    }

    [Fact]
    public async Task Persist_with_a_postgres_baseline_inserts_into_that_database_and_leaves_no_table_behind()
    {
        var postgres = await PostgresServer.SharedAsync();
        var connectionString = await postgres.CreateEmptyDatabaseAsync();

        var root = await RunCleanAsync("persist", "--url", Url, "--posters", "2", "--seconds", "1", "--warmup-seconds", "0",
            "--baseline-postgres", connectionString);

        var baseline = root.GetProperty("baseline");
        AssertContractFields(baseline);
        Assert.Equal("postgres", baseline.GetProperty("protocol").GetString());
        Assert.Contains("synchronous_commit=on", baseline.GetProperty("storage").GetString());
        Assert.True(baseline.GetProperty("deliveriesPerSecond").GetDouble() > 0);
        Assert.Equal(0, baseline.GetProperty("missed").GetInt64());
        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var tables = new Npgsql.NpgsqlCommand(
            "SELECT COUNT(*) FROM information_schema.tables WHERE table_name LIKE 'persist_baseline_%'", connection);
        Assert.Equal(0L, (long)(await tables.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task Persist_via_the_hub_posts_each_reply_with_PostReply_on_a_connection_per_poster()
    {
        var root = await RunCleanAsync(
            "persist", "--post-via", "hub", "--url", Url, "--posters", "3", "--seconds", "1", "--warmup-seconds", "0",
            "--no-baseline");

        Assert.Equal("hub PostReply (json)", root.GetProperty("protocol").GetString());
        var accepted = root.GetProperty("postsAccepted").GetInt32();
        Assert.True(accepted > 0);
        Assert.Equal(accepted, _threads.LatestSeq(threadId: 1));
    }

    [Fact]
    public async Task Persist_via_the_hub_with_the_raw_client_posts_every_reply_it_counts()
    {
        var root = await RunCleanAsync(
            "persist", "--post-via", "hub", "--client", "raw", "--url", Url, "--posters", "3", "--seconds", "1",
            "--warmup-seconds", "0", "--no-baseline");

        Assert.Equal("hub PostReply (json, raw client)", root.GetProperty("protocol").GetString());
        var accepted = root.GetProperty("postsAccepted").GetInt32();
        Assert.True(accepted > 0);
        Assert.Equal(accepted, _threads.LatestSeq(threadId: 1));
    }

    [Fact]
    public async Task The_raw_clients_post_is_acknowledged_when_stored_and_gives_the_hubs_refusal_otherwise()
    {
        using var http = new SharedHttp(new Uri(Url));
        await using var connection = new HubClientFactory(http, WireProtocol.Json, accessToken: null).CreateRawConnection();
        await connection.StartAsync(CancellationToken.None);

        var stored = await connection.PostReplyAsync(new PostReplyRequest(4, null, "Stored", "req-1"), CancellationToken.None);
        var refused = await connection.PostReplyAsync(new PostReplyRequest(4, null, "   ", "req-2"), CancellationToken.None);

        Assert.Null(stored);
        Assert.StartsWith("the hub refused: ", refused);
        Assert.Contains(BaselineThreads.BodyRule, refused);
        Assert.Equal(1, _threads.LatestSeq(threadId: 4));
    }

    [Fact]
    public async Task Idle_holds_every_watcher_and_reads_the_servers_memory_per_watcher()
    {
        // The bare hub runs in this test process, so this process is "the server" whose /proc is read.
        var root = await RunCleanAsync(
            "idle", "--url", Url, "--watchers", "10", "--ramp-step", "4", "--seconds", "1", "--server-pid", Environment.ProcessId.ToString());

        Assert.Equal(10, root.GetProperty("watchersConnected").GetInt32());
        Assert.Equal(10, root.GetProperty("watchersStillConnected").GetInt32());
        Assert.True(root.GetProperty("maxMs").GetDouble() > 0);
        if (OperatingSystem.IsLinux())
        {
            Assert.True(root.GetProperty("serverRssAfterMb").GetDouble() > 0);
            Assert.True(root.TryGetProperty("serverKbPerWatcher", out _));
            Assert.True(root.TryGetProperty("serverCpuPercent", out _));
        }
    }

    /// <summary>
    /// Without --restart-command the tool asks the operator to restart the node; here the test is the operator: it
    /// stops the bare hub when asked and starts a new one on the same port with the same state (as the real server
    /// keeps its database). Every reply it accepted must still reach every watcher, by catch-up if not live.
    /// </summary>
    [Fact]
    public async Task Reconnect_brings_every_watcher_back_caught_up_after_the_node_restarts()
    {
        var url = Url;
        var asked = new LineSignal("restart the node");
        var restarted = Task.Run(async () =>
        {
            await asked.Seen.WaitAsync(TimeSpan.FromSeconds(30));
            await _server.StopAsync();
            await _server.DisposeAsync();
            await Task.Delay(300);
            _server = BaselineServer.Build(url, _threads);
            await _server.StartAsync();
        });

        var root = await RunCleanAsync(asked,
            "reconnect", "--url", url, "--watchers", "4", "--rate", "10", "--seconds", "3", "--restart-after", "1",
            "--restart-timeout", "20", "--warmup-seconds", "0", "--drain-seconds", "10");
        await restarted;

        Assert.Equal("operator", root.GetProperty("restartedBy").GetString());
        Assert.Equal(4, root.GetProperty("watchersBack").GetInt32());
        Assert.True(root.GetProperty("reconnectAllMs").GetDouble() > 0);
        Assert.True(root.TryGetProperty("postsRefusedDuringRestart", out _));
        Assert.Equal(4L * root.GetProperty("postsAccepted").GetInt32(), root.GetProperty("deliveries").GetInt64());
    }

    [Fact]
    public async Task Reconnect_runs_the_restart_command_and_says_so_when_the_node_never_goes_down()
    {
        var output = new StringWriter();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var exitCode = await LoadToolCli.RunAsync(
            ["reconnect", "--url", Url, "--watchers", "2", "--rate", "5", "--seconds", "1", "--restart-after", "0",
                "--restart-command", "exit 3", "--restart-timeout", "1", "--warmup-seconds", "0", "--json", _json],
            output, new StringWriter(), timeout.Token);

        Assert.Equal(LoadToolCli.Unclean, exitCode);
        using var result = JsonDocument.Parse(await File.ReadAllTextAsync(_json));
        var samples = string.Join("\n", result.RootElement.GetProperty("errorSamples").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("the restart command exited with 3", samples);
        Assert.Contains("did not go down", samples);
        Assert.Equal("command: exit 3", result.RootElement.GetProperty("restartedBy").GetString());
    }

    private Task<JsonElement> RunCleanAsync(params string[] args) => RunCleanAsync(new LineSignal(null), args);

    private async Task<JsonElement> RunCleanAsync(LineSignal output, params string[] args)
    {
        var error = new StringWriter();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var started = Stopwatch.StartNew();
        var exitCode = await LoadToolCli.RunAsync([.. args, "--json", _json], output, error, timeout.Token);

        Assert.True(exitCode == LoadToolCli.Clean, $"exit {exitCode} after {started.Elapsed}\n{error}\n{output}");
        using var result = JsonDocument.Parse(await File.ReadAllTextAsync(_json));
        var root = result.RootElement.Clone();
        Assert.Equal(args[0], root.GetProperty("scenario").GetString());
        AssertContractFields(root);
        Assert.Equal(0, root.GetProperty("missed").GetInt64());
        Assert.Equal(0, root.GetProperty("duplicates").GetInt64());
        Assert.Equal(0, root.GetProperty("errors").GetInt64());
        return root;
    }

    /// <summary>The fields the tool's contract promises scripts in every --json file.</summary>
    private static void AssertContractFields(JsonElement root)
    {
        foreach (var field in new[] { "scenario", "deliveriesPerSecond", "p50Ms", "p99Ms", "maxMs", "missed", "duplicates", "errors" })
        {
            Assert.True(root.TryGetProperty(field, out _), $"{field} missing from the JSON");
        }
    }

    /// <summary>Collects the tool's output and signals when a line containing <c>text</c> is written.</summary>
    private sealed class LineSignal(string? text) : StringWriter
    {
        private readonly TaskCompletionSource _seen = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly StringBuilder _all = new();

        public Task Seen => _seen.Task;

        public override void WriteLine(string? value)
        {
            lock (_all)
            {
                _all.AppendLine(value);
            }

            if (text is not null && value?.Contains(text, StringComparison.Ordinal) == true)
            {
                _seen.TrySetResult();
            }
        }

        public override string ToString()
        {
            lock (_all)
            {
                return _all.ToString();
            }
        }
    }
}
