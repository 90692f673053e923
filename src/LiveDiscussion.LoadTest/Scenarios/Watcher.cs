using System.Diagnostics;
using LiveDiscussion.Contracts;
using LiveDiscussion.LoadTest.Measuring;
using LiveDiscussion.LoadTest.Client;

namespace LiveDiscussion.LoadTest.Scenarios;

/// <summary>
/// One simulated reader: a hub connection watching one thread, reporting what arrives to the recorder. With
/// <see cref="Reconnect"/> set it behaves as the protocol asks of a client whose node went away: it connects again,
/// calls <c>WatchThread(threadId, last)</c> and applies the missed events it gets back.
/// </summary>
public sealed class Watcher(int number, IWatchConnection connection, int threadIndex = 0) : IAsyncDisposable
{
    private readonly HashSet<long> _caughtUp = [];
    private SeqTracker? _seen;
    private volatile bool _stopping;
    private long _threadId;
    private Func<DeliveryRecorder?> _recorder = () => null;
    private ErrorLog _errors = new();
    private int _reconnecting;
    private long _lostAt;
    private long _lastLostAt;
    private long _backAt;
    private int _failedAttempts;
    private int _timedOutAttempts;

    public int Number { get; } = number;

    /// <summary>Which of the run's threads this watcher watches.</summary>
    public int ThreadIndex { get; } = threadIndex;

    public bool IsConnected => connection.IsConnected;

    /// <summary>When set, a lost connection is re-established within this time instead of being an error.</summary>
    public TimeSpan? Reconnect { get; init; }

    /// <summary>Called for every TypingChanged the watcher receives.</summary>
    public Action? OnTyping { get; init; }

    /// <summary>Stopwatch timestamp of the first lost connection; 0 while it never lost one.</summary>
    public long LostAt => Interlocked.Read(ref _lostAt);

    /// <summary>
    /// Stopwatch timestamp of the latest lost connection: a node that is stopping may still take a new connection and
    /// then drop it, so a watcher can be lost more than once in one restart.
    /// </summary>
    public long LastLostAt => Interlocked.Read(ref _lastLostAt);

    /// <summary>Stopwatch timestamp at which it was last connected again and had applied its catch-up; 0 until then.</summary>
    public long BackAt => Interlocked.Read(ref _backAt);

    /// <summary>Reconnect attempts that failed, counting those in <see cref="TimedOutAttempts"/>.</summary>
    public int FailedAttempts => Volatile.Read(ref _failedAttempts);

    /// <summary>Reconnect attempts abandoned at the attempt bound: the node took them in but did not finish them in time.</summary>
    public int TimedOutAttempts => Volatile.Read(ref _timedOutAttempts);

    /// <summary>Connects and watches <paramref name="threadId"/>; events go to <paramref name="recorder"/> once it is set.</summary>
    public async Task StartAsync(long threadId, Func<DeliveryRecorder?> recorder, ErrorLog errors, CancellationToken ct)
    {
        _threadId = threadId;
        _recorder = recorder;
        _errors = errors;
        connection.OnThreadEvent(threadEvent =>
        {
            // Taken first, so the time the callback spends counting is not charged to the server.
            var arrival = Stopwatch.GetTimestamp();
            if (_seen is not { } seen)
            {
                return;
            }

            // Every event is tracked, warm-up ones included, so the seq set stays contiguous once measuring starts.
            var isNew = seen.TryAdd(threadEvent.Seq);
            if (!isNew && WasCaughtUp(threadEvent.Seq))
            {
                // Around a reconnect an event may come both in the catch-up and live; the protocol allows it.
                return;
            }

            if (recorder() is { } target)
            {
                target.OnEvent(threadEvent, isNew, arrival);
            }
        });

        connection.OnTyping(() => OnTyping?.Invoke());

        connection.Closed += error =>
        {
            if (_stopping)
            {
                return Task.CompletedTask;
            }

            if (Reconnect is { } within)
            {
                var now = Stopwatch.GetTimestamp();
                Interlocked.CompareExchange(ref _lostAt, now, 0);
                Interlocked.Exchange(ref _lastLostAt, now);
                if (Interlocked.Exchange(ref _reconnecting, 1) == 0)
                {
                    _ = Task.Run(() => ReconnectAsync(within));
                }
            }
            else
            {
                errors.Add($"watcher {Number} lost its connection: {error?.Message ?? "closed by the server"}");
            }

            return Task.CompletedTask;
        };

        await connection.StartAsync(ct);
        var catchUp = await connection.WatchThreadAsync(threadId, 0, ct);

        // Events at or below the thread's latest seq predate this run; only later ones can be ours.
        _seen = new SeqTracker(catchUp.LatestSeq);
    }

    public async ValueTask DisposeAsync()
    {
        _stopping = true;
        await connection.DisposeAsync();
    }

    private bool WasCaughtUp(long seq)
    {
        lock (_caughtUp)
        {
            return _caughtUp.Count > 0 && _caughtUp.Contains(seq);
        }
    }

    private async Task ReconnectAsync(TimeSpan within)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(within.TotalSeconds * Stopwatch.Frequency);
        var attempt = 0;
        string? lastProblem = null;
        try
        {
            while (!_stopping && Stopwatch.GetTimestamp() < deadline)
            {
                await Task.Delay(RetryDelay(attempt++));

                // Bounded per attempt, as SignalR's own clients bound their handshake: a connection that is never
                // answered must not hold this watcher for good.
                using var attemptLimit = new CancellationTokenSource(AttemptTimeout);
                try
                {
                    if (connection.IsDisconnected)
                    {
                        await connection.StartAsync(attemptLimit.Token);
                    }

                    await CatchUpAsync(attemptLimit.Token);
                    Interlocked.Exchange(ref _backAt, Stopwatch.GetTimestamp());
                    return;
                }
                catch (Exception ex) when (!_stopping)
                {
                    lastProblem = ex.Message;
                    Interlocked.Increment(ref _failedAttempts);
                    if (attemptLimit.IsCancellationRequested)
                    {
                        Interlocked.Increment(ref _timedOutAttempts);
                    }
                }
            }

            if (!_stopping)
            {
                _errors.Add($"watcher {Number} was not back within {within.TotalSeconds:0} s: {lastProblem ?? "no attempt finished"}");
            }
        }
        finally
        {
            Volatile.Write(ref _reconnecting, 0);
            if (!_stopping && connection.IsDisconnected && Stopwatch.GetTimestamp() < deadline)
            {
                // Closed again while the last attempt was finishing: go round once more.
                if (Interlocked.Exchange(ref _reconnecting, 1) == 0)
                {
                    _ = Task.Run(() => ReconnectAsync(within));
                }
            }
        }
    }

    private async Task CatchUpAsync(CancellationToken ct)
    {
        var seen = _seen!;
        var catchUp = await connection.WatchThreadAsync(_threadId, seen.Contiguous, ct);
        var arrival = Stopwatch.GetTimestamp();
        if (catchUp.Truncated)
        {
            _errors.Add($"watcher {Number}: the catch-up after seq {seen.Contiguous} was truncated (more than 500 behind)");
            return;
        }

        foreach (var threadEvent in catchUp.Events)
        {
            if (!seen.TryAdd(threadEvent.Seq))
            {
                continue;
            }

            lock (_caughtUp)
            {
                _caughtUp.Add(threadEvent.Seq);
            }

            _recorder()?.OnEvent(threadEvent, isNewSeq: true, arrival);
        }
    }

    /// <summary>
    /// SignalR's JavaScript and .NET clients give a handshake 15 s. A shorter bound than the time a node takes to serve a
    /// returning crowd makes every client give up at once and start again, so the crowd never gets in (with 5 s, about
    /// one reconnect run of 5,000 watchers in five takes 28 s instead of 10-14); a client that waits as the real ones do
    /// is served in turn.
    /// </summary>
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(15);

    /// <summary>
    /// 100 ms doubling to a second, each spread by ±50 %: thousands of watchers must not knock on a starting node at the
    /// same instant.
    /// </summary>
    internal static TimeSpan RetryDelay(int attempt) =>
        TimeSpan.FromMilliseconds(Math.Min(1000, 100 * Math.Pow(2, Math.Min(attempt, 10))) * (0.5 + Random.Shared.NextDouble()));
}
