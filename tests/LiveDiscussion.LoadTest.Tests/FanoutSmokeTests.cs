using System.Text.Json;
using LiveDiscussion.LoadTest.Baseline;
using LiveDiscussion.LoadTest.Cli;

namespace LiveDiscussion.LoadTest.Tests;

/// <summary>The whole tool, command line to JSON file, against its own bare hub on a free loopback port.</summary>
public sealed class FanoutSmokeTests : IAsyncLifetime
{
    private readonly Microsoft.AspNetCore.Builder.WebApplication _server = BaselineServer.Build("http://127.0.0.1:0");
    private readonly string _json = Path.Combine(Path.GetTempPath(), $"fanout-smoke-{Guid.NewGuid():N}.json");

    public Task InitializeAsync() => _server.StartAsync();

    public async Task DisposeAsync()
    {
        await _server.StopAsync();
        await _server.DisposeAsync();
        File.Delete(_json);
    }

    [Theory]
    [InlineData("json")]
    [InlineData("messagepack")]
    public async Task Fanout_against_the_baseline_delivers_every_reply_to_every_watcher_once(string protocol)
    {
        var url = BaselineServer.Addresses(_server).Single();
        var output = new StringWriter();
        var error = new StringWriter();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var exitCode = await LoadToolCli.RunAsync(
            ["fanout", "--url", url, "--watchers", "5", "--rate", "20", "--seconds", "2", "--protocol", protocol,
                "--ramp-step", "2", "--drain-seconds", "5", "--warmup-seconds", "1", "--json", _json],
            output, error, timeout.Token);

        Assert.True(exitCode == LoadToolCli.Clean, $"exit {exitCode}\n{error}\n{output}");
        using var result = JsonDocument.Parse(await File.ReadAllTextAsync(_json));
        var root = result.RootElement;
        Assert.Equal("fanout", root.GetProperty("scenario").GetString());
        Assert.Equal(protocol, root.GetProperty("protocol").GetString());
        Assert.Equal(0, root.GetProperty("missed").GetInt64());
        Assert.Equal(0, root.GetProperty("duplicates").GetInt64());
        Assert.Equal(0, root.GetProperty("errors").GetInt64());
        Assert.Equal(5, root.GetProperty("watchers").GetInt32());
        Assert.Equal(40, root.GetProperty("posts").GetInt32());
        Assert.Equal(5 * 40, root.GetProperty("deliveries").GetInt64());
        Assert.True(root.GetProperty("deliveriesPerSecond").GetDouble() > 0);
        Assert.True(root.GetProperty("p99Ms").GetDouble() <= root.GetProperty("maxMs").GetDouble());
        Assert.True(root.GetProperty("fanoutP50Ms").GetDouble() <= root.GetProperty("fanoutP99Ms").GetDouble());
        foreach (var field in new[] { "p50Ms", "rate", "seconds" })
        {
            Assert.True(root.TryGetProperty(field, out _), $"{field} missing from the JSON");
        }

        Assert.False(root.TryGetProperty("baseline", out _));
    }

    [Fact]
    public async Task Baseline_url_runs_the_load_twice_and_reports_the_ratio()
    {
        var url = BaselineServer.Addresses(_server).Single();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var exitCode = await LoadToolCli.RunAsync(
            ["fanout", "--url", url, "--baseline-url", url, "--watchers", "3", "--rate", "10", "--seconds", "1", "--warmup-seconds", "0", "--json", _json],
            new StringWriter(), new StringWriter(), timeout.Token);

        Assert.Equal(LoadToolCli.Clean, exitCode);
        using var result = JsonDocument.Parse(await File.ReadAllTextAsync(_json));
        var baseline = result.RootElement.GetProperty("baseline");
        Assert.Equal(30, baseline.GetProperty("deliveries").GetInt64());
        Assert.Equal(0, baseline.GetProperty("missed").GetInt64());
        Assert.True(result.RootElement.GetProperty("ratioToBaseline").GetDouble() > 0);
    }
}
