using System.Diagnostics;
using System.Text.Json;
using LiveDiscussion.TestSupport;

namespace LiveDiscussion.Tests.Realtime;

/// <summary>
/// The load tool as an operator runs it (its own process, its command line) against the real app, with tiny numbers,
/// so that neither the tool nor the server side it depends on can rot.
/// </summary>
public sealed class LoadToolSmokeTests(EmptyApp app) : IClassFixture<EmptyApp>, IDisposable
{
    private readonly string _json = Path.Combine(Path.GetTempPath(), $"fanout-{Guid.NewGuid():N}.json");

    public void Dispose() => File.Delete(_json);

    [Theory]
    [InlineData("json")]
    [InlineData("messagepack")]
    public async Task Fanout_against_the_real_hub_delivers_every_reply_to_every_watcher_once(string protocol)
    {
        var (exitCode, output) = await RunToolAsync(
            "fanout", "--url", app.BaseAddress.ToString().TrimEnd('/'), "--watchers", "5", "--rate", "10", "--seconds", "2",
            "--warmup-seconds", "0", "--drain-seconds", "15", "--protocol", protocol, "--email", TestApp.AdminEmail, "--password", TestApp.AdminPassword,
            "--json", _json);

        Assert.True(exitCode == 0, $"exit {exitCode}\n{output}");
        using var result = JsonDocument.Parse(await File.ReadAllTextAsync(_json));
        var root = result.RootElement;
        Assert.Equal(0, root.GetProperty("missed").GetInt64());
        Assert.Equal(0, root.GetProperty("duplicates").GetInt64());
        Assert.Equal(0, root.GetProperty("errors").GetInt64());
        Assert.Equal(5 * 20, root.GetProperty("deliveries").GetInt64());
    }

    private static async Task<(int ExitCode, string Output)> RunToolAsync(params string[] arguments)
    {
        var tool = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "src", "LiveDiscussion.LoadTest",
            "bin", "Debug", "net10.0", "LiveDiscussion.LoadTest.dll");
        Assert.True(File.Exists(tool), $"build the solution first: {tool} is missing");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.GetFullPath(tool));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }
}
