using System.Diagnostics;

namespace LiveDiscussion.TestSupport;

/// <summary>A real redis-server on a free loopback port, which a test can stop and start again on the same port.</summary>
public sealed class RedisServer : IAsyncDisposable
{
    private Process? _process;

    private RedisServer(int port) => Port = port;

    public int Port { get; }

    /// <summary>The StackExchange.Redis configuration string a node is given.</summary>
    public string Connection => $"127.0.0.1:{Port}";

    /// <summary>The key the nodes of a test cluster seal their messages on this Redis with (<c>Redis:MessageKey</c>).</summary>
    public const string MessageKey = "test-cluster-message-key-0123456789abcdef";

    public static async Task<RedisServer> StartAsync()
    {
        var server = new RedisServer(FreePort.Next());
        await server.StartAgainAsync();
        return server;
    }

    public async Task StartAgainAsync()
    {
        var start = new ProcessStartInfo("redis-server") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "--port", Port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" })
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await FreePort.WaitUntilListeningAsync(Port, TimeSpan.FromSeconds(10));
    }

    /// <summary>
    /// Freezes the server (SIGSTOP), as a hung Redis or a stalled machine looks to the nodes: their connections stay open
    /// and nothing on them is answered. <see cref="Thaw"/> lets it run on; <see cref="StopAsync"/> also ends a frozen one.
    /// </summary>
    public void Freeze() => Signals.Freeze(_process ?? throw new InvalidOperationException("redis-server is not running"));

    public void Thaw() => Signals.Thaw(_process ?? throw new InvalidOperationException("redis-server is not running"));

    /// <summary>Kills the server at once, as a crash or a network cut would look to the nodes.</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        _process = null;
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
