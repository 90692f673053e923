using System.Collections.Concurrent;
using System.Diagnostics;

namespace LiveDiscussion.TestSupport;

/// <summary>
/// One node of a cluster: the built web app as its own process on its own loopback port, as an operator would run it
/// (<c>dotnet LiveDiscussion.Web.dll --urls ...</c>), so it can be killed like a crashed server and started again.
/// </summary>
public sealed class NodeProcess : IAsyncDisposable
{
    private readonly string? _redis;
    private readonly NodeProcessOptions _options;
    private readonly ConcurrentQueue<string> _output = new();
    private Process? _process;

    private NodeProcess(TestStore store, string? redis, int port, NodeProcessOptions options)
    {
        Store = store;
        _redis = redis;
        _options = options;
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
    }

    public Uri BaseAddress { get; }

    /// <summary>What the node printed, for a failing test's message.</summary>
    public string Output => string.Join('\n', _output.TakeLast(80));

    public TestStore Store { get; }

    public string DatabasePath => Store.DatabasePath;

    /// <summary>A node on the SQLite file <paramref name="databasePath"/>.</summary>
    public static Task<NodeProcess> StartAsync(
        string databasePath, string? redis, bool waitUntilReady = true, NodeProcessOptions? options = null) =>
        StartAsync(TestStore.Sqlite(databasePath), redis, waitUntilReady, options);

    public static async Task<NodeProcess> StartAsync(
        TestStore store, string? redis, bool waitUntilReady = true, NodeProcessOptions? options = null)
    {
        var node = new NodeProcess(store, redis, FreePort.Next(), options ?? new NodeProcessOptions());
        await node.StartAgainAsync(waitUntilReady);
        return node;
    }

    public async Task StartAgainAsync(bool waitUntilReady = true)
    {
        var web = Path.Combine(_options.AppDirectory, "LiveDiscussion.Web.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _options.AppDirectory,
        };
        foreach (var argument in new[] { web, "--urls", BaseAddress.ToString().TrimEnd('/') })
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in Store.Settings)
        {
            start.Environment[key.Replace(":", "__")] = value;
        }

        start.Environment["Redis__Connection"] = _redis ?? "";
        start.Environment["Redis__MessageKey"] = _redis is null ? "" : RedisServer.MessageKey;
        start.Environment["Demo__Seed"] = _options.SeedDemo ? "true" : "false";
        start.Environment["Admin__Email"] = TestApp.AdminEmail;
        start.Environment["Admin__Password"] = TestApp.AdminPassword;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = _options.Environment;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Logging__LogLevel__LiveDiscussion"] = "Information";
        // Nodes under test post and connect far faster than people (ExtraEnvironment may switch the limits on).
        start.Environment["RateLimits__Enabled"] = "false";
        start.Environment["Spam__RegisterMinFillSeconds"] = "0";
        foreach (var (name, value) in _options.ExtraEnvironment)
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("the node did not start");
        process.OutputDataReceived += (_, line) => Keep(line.Data);
        process.ErrorDataReceived += (_, line) => Keep(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            Assert.False(process.HasExited, $"the node exited with {(process.HasExited ? process.ExitCode : 0)}:\n{Output}");
            try
            {
                var path = waitUntilReady ? "/health/ready" : "/health/live";
                if ((await http.GetAsync(path)).IsSuccessStatusCode
                    && (!waitUntilReady || await http.GetStringAsync(path) == "Healthy"))
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            Assert.True(DateTime.UtcNow < deadline, $"the node at {BaseAddress} did not become ready:\n{Output}");
            await Task.Delay(100);
        }
    }

    /// <summary>Kills the process outright, as a crash would: no graceful shutdown, no goodbye to its clients.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    /// <summary>
    /// Asks the node to stop as an orchestrator does (SIGTERM) and waits for it to exit, at most <paramref name="waitAtMost"/>
    /// (then it is killed and the test fails).
    /// </summary>
    /// <returns>Its exit code, and the time from the signal to its exit.</returns>
    public async Task<(int ExitCode, TimeSpan Took)> StopAsync(TimeSpan waitAtMost)
    {
        var process = _process ?? throw new InvalidOperationException("the node was never started");
        var took = Stopwatch.StartNew();
        Signals.AskToStop(process);
        using var timeout = new CancellationTokenSource(waitAtMost);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            await KillAsync();
            Assert.Fail($"the node did not exit within {waitAtMost.TotalSeconds} s of SIGTERM:\n{Output}");
        }

        return (process.ExitCode, took.Elapsed);
    }

    public HttpClient Anonymous() => new() { BaseAddress = BaseAddress };

    public Task<HttpClient> AdminAsync() => ApiAccounts.SignedInAsync(BaseAddress, TestApp.AdminEmail, TestApp.AdminPassword);

    public Task<HttpClient> MemberAsync(string? name = null) => ApiAccounts.MemberAsync(BaseAddress, name);

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            _output.Enqueue(line);
            while (_output.Count > 500)
            {
                _output.TryDequeue(out _);
            }
        }
    }
}

/// <summary>
/// How a <see cref="NodeProcess"/> runs: by default the build beside the tests in Development; a test of the app as it
/// is deployed points it at a publish output and the Production environment.
/// </summary>
public sealed record NodeProcessOptions
{
    /// <summary>The folder holding LiveDiscussion.Web.dll; also the working directory, so the content root.</summary>
    public string AppDirectory { get; init; } = AppContext.BaseDirectory;

    public string Environment { get; init; } = "Development";

    public bool SeedDemo { get; init; }

    /// <summary>Set last, so they may also override the settings above (logging levels, say).</summary>
    public IReadOnlyDictionary<string, string> ExtraEnvironment { get; init; } = new Dictionary<string, string>();
}
