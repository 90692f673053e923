using System.Collections.Concurrent;
using System.Diagnostics;
using LiveDiscussion.TestSupport;

namespace LiveDiscussion.BrowserTests.Infrastructure;

/// <summary>
/// The app as the Dockerfile deploys it: <c>dotnet publish -c Release</c>, then <c>dotnet LiveDiscussion.Web.dll</c> in
/// the Production environment, as a process of its own with its own SQLite file and the demo thread seeded. Production
/// differs from the in-process <see cref="TestApp"/> where it matters to a browser: static web assets come from the
/// publish output only, and the Blazor circuit runs with production limits and without detailed errors.
/// </summary>
/// <remarks>
/// Publishing takes most of a minute, so it happens once per test run and only when a test asks for the app
/// (<see cref="StartedAsync"/>): a filtered run of other browser tests does not pay for it; <c>tests/run.sh</c>
/// publishes beforehand, beside the other test projects. Tests share the one node,
/// so each works in threads of its own (only one test may change the demo thread).
/// </remarks>
public sealed class PublishedApp : IAsyncLifetime
{
    private readonly SemaphoreSlim _starting = new(1, 1);
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "livediscussion-published", Guid.NewGuid().ToString("N"));
    private NodeProcess? _node;

    /// <summary>How long publishing took, for a slow run's output.</summary>
    public TimeSpan PublishTime { get; private set; }

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>The running node, published and started on the first call.</summary>
    public async Task<NodeProcess> StartedAsync()
    {
        await _starting.WaitAsync();
        try
        {
            if (_node is null)
            {
                var output = PublishedBeforehand();
                if (output is null)
                {
                    output = Path.Combine(_folder, "app");
                    var stopwatch = Stopwatch.StartNew();
                    await PublishAsync(output);
                    PublishTime = stopwatch.Elapsed;
                }
                _node = await NodeProcess.StartAsync(Path.Combine(_folder, "livediscussion.db"), redis: null, options: new NodeProcessOptions
                {
                    AppDirectory = output,
                    Environment = "Production",
                    SeedDemo = true,
                    // As the Dockerfile sets it; see the comment there.
                    ExtraEnvironment = new Dictionary<string, string>
                    {
                        ["DOTNET_SYSTEM_BUFFERS_SHAREDARRAYPOOL_MAXARRAYSPERPARTITION"] = "4096",
                        // What a closed circuit leaves in the log, for a failing test's message.
                        ["Logging__LogLevel__Microsoft.AspNetCore.SignalR"] = "Debug",
                        ["Logging__LogLevel__Microsoft.AspNetCore.Components.Server"] = "Debug",
                        ["Logging__LogLevel__Microsoft.AspNetCore.Http.Connections"] = "Debug",
                    },
                });
            }

            return _node;
        }
        finally
        {
            _starting.Release();
        }
    }

    /// <summary>
    /// The same publish made before the tests, when <c>LIVEDISCUSSION_PUBLISHED_APP</c> names its folder:
    /// <c>tests/run.sh</c> publishes while the other test projects run, which leave a core mostly idle.
    /// </summary>
    private static string? PublishedBeforehand() =>
        Environment.GetEnvironmentVariable("LIVEDISCUSSION_PUBLISHED_APP") is { Length: > 0 } folder
        && File.Exists(Path.Combine(folder, "LiveDiscussion.Web.dll"))
            ? folder
            : null;

    private static async Task PublishAsync(string output)
    {
        var project = Path.Combine(PageExtensions.RepositoryRoot(), "src", "LiveDiscussion.Web");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = PageExtensions.RepositoryRoot(),
        };
        foreach (var argument in new[] { "publish", project, "-c", "Release", "-o", output, "-nodeReuse:false", "-p:UseSharedCompilation=false" })
        {
            start.ArgumentList.Add(argument);
        }

        // The test host runs under MSBuild's environment; a nested build must find its own. And no build servers may
        // outlive the test run.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";

        var lines = new ConcurrentQueue<string>();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet publish did not start");
        process.OutputDataReceived += (_, line) => Keep(lines, line.Data);
        process.ErrorDataReceived += (_, line) => Keep(lines, line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet publish took more than 5 minutes:\n{string.Join('\n', lines)}");
        }

        if (process.ExitCode != 0 || !File.Exists(Path.Combine(output, "LiveDiscussion.Web.dll")))
        {
            throw new InvalidOperationException($"dotnet publish failed with {process.ExitCode}:\n{string.Join('\n', lines.TakeLast(60))}");
        }
    }

    private static void Keep(ConcurrentQueue<string> lines, string? line)
    {
        if (line is not null)
        {
            lines.Enqueue(line);
            while (lines.Count > 200)
            {
                lines.TryDequeue(out _);
            }
        }
    }

    public async Task DisposeAsync()
    {
        if (_node is not null)
        {
            await _node.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
