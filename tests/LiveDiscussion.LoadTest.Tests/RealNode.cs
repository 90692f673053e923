using System.Diagnostics;
using LiveDiscussion.TestSupport;

namespace LiveDiscussion.LoadTest.Tests;

/// <summary>
/// The real server as an operator runs it: its own process (started by a small shell script, as a deployment's restart
/// script would), its own SQLite file in a temporary folder, a free loopback port, and the admin account of
/// <c>Admin:*</c>. <see cref="RestartCommand"/> is what the reconnect scenario runs to restart it. Beside its HTTP/1.1
/// endpoint it serves cleartext HTTP/2 on a second port (<see cref="Http2Url"/>), configured as an operator would, through
/// <c>Kestrel:Endpoints</c>.
/// </summary>
public sealed class RealNode : IAsyncLifetime
{
    public const string Email = "bench@loadtest.example.com";
    public const string Password = "bench-password-1";

    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"livediscussion-realnode-{Guid.NewGuid():N}");

    public RealNode()
    {
        Url = $"http://127.0.0.1:{FreePort.Next()}";
        Http2Url = $"http://127.0.0.1:{FreePort.Next()}";
    }

    public string Url { get; }

    /// <summary>The same node over HTTP/2 only (prior knowledge, as cleartext HTTP/2 requires).</summary>
    public string Http2Url { get; }

    /// <summary>The node's process id now (it changes when the reconnect test restarts the node), for --server-pid.</summary>
    public int Pid => int.Parse(File.ReadAllText(PidFile), System.Globalization.CultureInfo.InvariantCulture);

    private string Script => Path.Combine(_folder, "node.sh");

    private string PidFile => Path.Combine(_folder, "node.pid");

    /// <summary>Stops the node, waits for its process to end, and starts it again on the same database.</summary>
    public string RestartCommand =>
        $"p=$(cat '{PidFile}'); kill $p; while kill -0 $p 2>/dev/null; do sleep 0.1; done; sh '{Script}'";

    public async Task InitializeAsync()
    {
        // The configuration the tests run under (Debug or Release) is the one the server was built in too.
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        var web = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "src", "LiveDiscussion.Web",
            "bin", configuration, "net10.0"));
        Assert.True(File.Exists(Path.Combine(web, "LiveDiscussion.Web.dll")), $"build the server first: {web} has no LiveDiscussion.Web.dll");

        Directory.CreateDirectory(_folder);
        await File.WriteAllTextAsync(Script, $"""
            #!/bin/sh
            cd '{web}'
            ASPNETCORE_ENVIRONMENT=Production ConnectionStrings__Discussion='Data Source={Path.Combine(_folder, "node.db")}' \
              Demo__Seed=false Admin__Email='{Email}' Admin__Password='{Password}' RateLimits__Enabled=false \
              nohup dotnet LiveDiscussion.Web.dll --Kestrel:Endpoints:Http:Url='{Url}' \
                --Kestrel:Endpoints:Http2:Url='{Http2Url}' --Kestrel:Endpoints:Http2:Protocols=Http2 >> '{Path.Combine(_folder, "node.log")}' 2>&1 &
            echo $! > '{PidFile}'
            """);
        using (var start = Process.Start("sh", [Script]))
        {
            await start.WaitForExitAsync();
        }

        await WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
    }

    public async Task DisposeAsync()
    {
        if (File.Exists(PidFile) && int.TryParse(await File.ReadAllTextAsync(PidFile), out var pid))
        {
            try
            {
                using var node = Process.GetProcessById(pid);
                node.Kill();
                await node.WaitForExitAsync();
            }
            catch (ArgumentException)
            {
                // Already gone.
            }
        }

        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    /// <summary>What the node wrote, for a failure message.</summary>
    public string Log()
    {
        var log = Path.Combine(_folder, "node.log");
        return File.Exists(log) ? File.ReadAllText(log) : "(no log)";
    }

    public async Task WaitUntilReadyAsync(TimeSpan within)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < within)
        {
            try
            {
                if ((await http.GetAsync($"{Url}/health/ready")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(200);
        }

        Assert.Fail($"the server at {Url} was not ready within {within.TotalSeconds:0} s\n{Log()}");
    }
}
