using System.Text.Json;
using LiveDiscussion.LoadTest.Cli;

namespace LiveDiscussion.LoadTest.Tests;

/// <summary>
/// The scenarios whose real-server side the bare hub cannot stand in for, against the real server in a process of its
/// own: reconnect (the tool restarts the node with --restart-command and every watcher must come back caught up from
/// the event log), typing (typists register accounts of their own) and persist (the event log is read back).
/// </summary>
public sealed class RealNodeSmokeTests(RealNode node) : IClassFixture<RealNode>, IDisposable
{
    private readonly string _json = Path.Combine(Path.GetTempPath(), $"realnode-smoke-{Guid.NewGuid():N}.json");

    public void Dispose() => File.Delete(_json);

    [Fact]
    public async Task Reconnect_restarts_the_node_with_the_command_and_every_watcher_comes_back_caught_up()
    {
        var root = await RunCleanAsync(
            "reconnect", "--url", node.Url, "--watchers", "4", "--rate", "10", "--seconds", "4", "--restart-after", "1",
            "--restart-command", node.RestartCommand, "--restart-timeout", "90", "--warmup-seconds", "0", "--drain-seconds", "15");

        Assert.StartsWith("command: ", root.GetProperty("restartedBy").GetString());
        Assert.Equal(4, root.GetProperty("watchersBack").GetInt32());
        Assert.True(root.GetProperty("reconnectAllMs").GetDouble() > 0);
        Assert.Equal(4L * root.GetProperty("postsAccepted").GetInt32(), root.GetProperty("deliveries").GetInt64());
    }

    [Fact]
    public async Task The_raw_client_watches_the_real_hub_and_comes_back_caught_up_after_a_restart()
    {
        var root = await RunCleanAsync(
            "reconnect", "--client", "raw", "--url", node.Url, "--watchers", "4", "--rate", "10", "--seconds", "4",
            "--restart-after", "1", "--restart-command", node.RestartCommand, "--restart-timeout", "90",
            "--warmup-seconds", "0", "--drain-seconds", "15");

        Assert.Equal("json (raw client)", root.GetProperty("protocol").GetString());
        Assert.Equal(4, root.GetProperty("watchersBack").GetInt32());
        Assert.Equal(4L * root.GetProperty("postsAccepted").GetInt32(), root.GetProperty("deliveries").GetInt64());
    }

    [Fact]
    public async Task Watchers_over_http2_share_connections_with_the_real_hub_and_get_every_reply()
    {
        // The HTTP/2 port speaks nothing else, so a watcher that fell back to HTTP/1.1 could not connect at all.
        foreach (var client in new[] { "raw", "hub" })
        {
            var root = await RunCleanAsync(
                "fanout", "--client", client, "--url", node.Url, "--watch-url", node.Http2Url, "--http2", "--watchers", "6",
                "--rate", "10", "--seconds", "2", "--warmup-seconds", "0");

            Assert.EndsWith("WebSockets over HTTP/2)", root.GetProperty("protocol").GetString());
            Assert.Equal(6 * 20, root.GetProperty("deliveries").GetInt64());
        }
    }

    [Fact]
    public async Task Idle_holds_watchers_over_http2()
    {
        var root = await RunCleanAsync(
            "idle", "--client", "raw", "--url", node.Url, "--watch-url", node.Http2Url, "--http2", "--watchers", "30",
            "--ramp-step", "10", "--seconds", "1");

        Assert.Equal(30, root.GetProperty("watchersConnected").GetInt32());
        Assert.Equal(30, root.GetProperty("watchersStillConnected").GetInt32());
    }

    [Fact]
    public async Task Typing_registers_its_typists_and_they_type_in_the_watched_thread()
    {
        var root = await RunCleanAsync(
            "typing", "--url", node.Url, "--watchers", "3", "--typists", "2", "--rate", "5", "--seconds", "2", "--warmup-seconds", "0");

        Assert.True(root.GetProperty("typingSignals").GetInt64() >= 2);
        Assert.True(root.GetProperty("typingDeliveries").GetInt64() > 0);
        Assert.Equal(3 * 10, root.GetProperty("deliveries").GetInt64());
    }

    [Fact]
    public async Task Persist_reads_the_stored_replies_back_from_the_event_log()
    {
        var root = await RunCleanAsync(
            "persist", "--url", node.Url, "--posters", "2", "--seconds", "1", "--warmup-seconds", "0", "--no-baseline");

        Assert.True(root.GetProperty("postsAccepted").GetInt32() > 0);
        Assert.StartsWith("the server's; read back: latest seq", root.GetProperty("storage").GetString());
        Assert.False(root.TryGetProperty("baseline", out _));
    }

    [Fact]
    public async Task Persist_as_a_member_runs_again_under_an_attacker_and_reports_both_ack_p99s()
    {
        var root = await RunCleanAsync(
            "persist", "--url", node.Url, "--posters", "2", "--seconds", "1", "--warmup-seconds", "0", "--no-baseline",
            "--post-as-member", "--attackers", "2");

        var without = root.GetProperty("withoutAttacker");
        Assert.True(without.GetProperty("postsAccepted").GetInt32() > 0);
        Assert.True(root.GetProperty("postsAccepted").GetInt32() > 0);
        Assert.True(root.GetProperty("postAckP99Ms").GetDouble() > 0);
        Assert.True(root.GetProperty("attackerP99Ratio").GetDouble() > 0);
        // Every maximal-nesting body is refused before it is stored (the node's rate limits are off here).
        Assert.True(root.GetProperty("attackerRefused").GetInt64() >= root.GetProperty("attackerSends").GetInt64() / 2);
        Assert.StartsWith("the server's; read back: latest seq", root.GetProperty("storage").GetString());
    }

    [Fact]
    public async Task Persist_posts_through_the_hub_and_reads_every_reply_back()
    {
        var root = await RunCleanAsync(
            "persist", "--post-via", "hub", "--url", node.Url, "--posters", "3", "--seconds", "1", "--warmup-seconds", "0",
            "--no-baseline");

        Assert.Equal("hub PostReply (json)", root.GetProperty("protocol").GetString());
        var accepted = root.GetProperty("postsAccepted").GetInt32();
        Assert.True(accepted > 0);
        Assert.Equal($"the server's; read back: latest seq {accepted:N0} for {accepted:N0} acknowledged replies",
            root.GetProperty("storage").GetString());
    }

    [Fact]
    public async Task Persist_through_the_hub_with_the_raw_client_reads_every_reply_back()
    {
        var root = await RunCleanAsync(
            "persist", "--post-via", "hub", "--client", "raw", "--url", node.Url, "--posters", "3", "--seconds", "1",
            "--warmup-seconds", "0", "--no-baseline");

        Assert.Equal("hub PostReply (json, raw client)", root.GetProperty("protocol").GetString());
        var accepted = root.GetProperty("postsAccepted").GetInt32();
        Assert.True(accepted > 0);
        Assert.Equal($"the server's; read back: latest seq {accepted:N0} for {accepted:N0} acknowledged replies",
            root.GetProperty("storage").GetString());
    }

    [Fact]
    public async Task Circuits_render_every_reply_at_every_circuit_and_hub_watchers_follow_on_the_same_thread()
    {
        // Started here, not in RunCleanAsync: the reconnect test may have restarted the node, and with it its pid.
        await node.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
        var root = await RunCleanAsync(
            "circuits", "--url", node.Url, "--watchers", "4", "--rate", "4", "--seconds", "2", "--warmup-seconds", "0",
            "--thread-replies", "3", "--drain-seconds", "10", "--server-pid", node.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(4, root.GetProperty("watchersConnected").GetInt32());
        Assert.Equal(8, root.GetProperty("postsAccepted").GetInt32());
        Assert.Equal(4 * 8, root.GetProperty("expectedDeliveries").GetInt64());
        Assert.Equal(4 * 8, root.GetProperty("deliveries").GetInt64());
        Assert.True(root.GetProperty("p50Ms").GetDouble() > 0);
        Assert.True(root.GetProperty("maxMs").GetDouble() >= root.GetProperty("p99Ms").GetDouble());
        Assert.True(root.GetProperty("renderBatches").GetInt64() >= 4 * 8, "every reply is a render batch at every circuit");
        Assert.Equal(JsonValueKind.Number, root.GetProperty("serverKbPerCircuit").ValueKind);
        Assert.True(root.GetProperty("serverRssAfterMb").GetDouble() > 0);
        Assert.Equal(JsonValueKind.Number, root.GetProperty("serverCpuMicrosPerDelivery").ValueKind);
        Assert.True(root.GetProperty("jsCallsAnswered").GetProperty("import").GetInt64() >= 4, "each thread page imports its module");

        var hub = root.GetProperty("hubWatchers");
        Assert.Equal(4, hub.GetProperty("watchersConnected").GetInt32());
        Assert.Equal(4 * 8, hub.GetProperty("deliveries").GetInt64());
        Assert.Equal(0, hub.GetProperty("missed").GetInt64());
        Assert.Equal(0, hub.GetProperty("errors").GetInt64());
        Assert.Equal(JsonValueKind.Number, hub.GetProperty("serverCpuMicrosPerDelivery").ValueKind);
    }

    private async Task<JsonElement> RunCleanAsync(params string[] args)
    {
        // The reconnect test leaves a node that has just restarted; whichever test runs next starts on a ready one.
        await node.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
        var output = new StringWriter();
        var error = new StringWriter();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(150));
        var exitCode = await LoadToolCli.RunAsync(
            [.. args, "--email", RealNode.Email, "--password", RealNode.Password, "--json", _json], output, error, timeout.Token);

        Assert.True(exitCode == LoadToolCli.Clean, $"exit {exitCode}\n{error}\n{output}\nserver log:\n{node.Log()}");
        using var result = JsonDocument.Parse(await File.ReadAllTextAsync(_json));
        var root = result.RootElement.Clone();
        Assert.Equal(args[0], root.GetProperty("scenario").GetString());
        foreach (var field in new[] { "deliveriesPerSecond", "p50Ms", "p99Ms", "maxMs" })
        {
            Assert.True(root.TryGetProperty(field, out _), $"{field} missing from the JSON");
        }

        Assert.Equal(0, root.GetProperty("missed").GetInt64());
        Assert.Equal(0, root.GetProperty("duplicates").GetInt64());
        Assert.Equal(0, root.GetProperty("errors").GetInt64());
        return root;
    }
}
