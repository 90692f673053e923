namespace LiveDiscussion.LoadTest.Reporting;

/// <summary>Prints one line a second describing the current phase, so a long run never looks hung.</summary>
public sealed class ProgressReporter : IAsyncDisposable
{
    private readonly TextWriter _output;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private volatile Func<string>? _line;

    public ProgressReporter(TextWriter output)
    {
        _output = output;
        _loop = RunAsync();
    }

    /// <summary>What the next lines say; null stays quiet.</summary>
    public void Show(Func<string>? line) => _line = line;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                if (_line is { } line)
                {
                    _output.WriteLine(line());
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped at the end of the run.
        }
    }
}
