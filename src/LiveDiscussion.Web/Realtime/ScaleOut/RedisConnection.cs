using StackExchange.Redis;

namespace LiveDiscussion.Web.Realtime.ScaleOut;

/// <summary>
/// Closes this node's one Redis connection (the node bus's and the viewer counts') as a step of the host's stop, so that
/// a stop ends within the host's shutdown timeout whatever Redis does.
/// <para>
/// The moment the node begins to stop, the node bus's subscription is ended without waiting for Redis: nothing the node
/// hears from then on reaches anyone, and closing the connection ends it on the server anyway.
/// </para>
/// <para>
/// Everything else that waits on Redis while the node stops (the publish of a reply stored a moment ago, say) gets at
/// most <see cref="StopDeadline"/> from the start of the stop; then the connection is dropped and each such call fails
/// at once. A Redis that does not answer a ping as the stop begins (gone, or hung) is dropped straight away. A Redis that
/// answers is closed once the web server and the other services have stopped, with QUIT, so what they sent goes first.
/// </para>
/// <para>
/// Either way the connection is closed inside the stop, so disposing the services afterwards, which no timeout bounds,
/// has nothing left to say to Redis.
/// </para>
/// </summary>
public sealed class RedisConnection(
    IConnectionMultiplexer redis, IHostApplicationLifetime lifetime, ILogger<RedisConnection> logger)
    : IHostedLifecycleService, IDisposable
{
    /// <summary>How long Redis may take to answer a ping as the stop begins before the node stops counting on it.</summary>
    public static readonly TimeSpan StopProbeTimeout = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Redis's share of a stop, counted from its start: well inside <see cref="RealtimeExtensions.ShutdownTimeout"/>, so
    /// the web server's last connections and the disposal of the services fit in what is left.
    /// </summary>
    public static readonly TimeSpan StopDeadline = TimeSpan.FromSeconds(3);

    private const int Open = 0;
    private const int Closing = 1;
    private const int Closed = 2;

    private readonly CancellationTokenSource _deadline = new();
    // Changed only by Interlocked, so a graceful close and the deadline racing each other end the connection once.
    private int _state;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStopping.Register(EndSubscriptions);
        return Task.CompletedTask;
    }

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        _deadline.Token.Register(() => Drop("Redis still had work in hand at the stop's deadline"));
        _deadline.CancelAfter(StopDeadline);
        if (!await AnswersAsync(cancellationToken))
        {
            Drop("Redis did not answer as this node began to stop");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppedAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.CompareExchange(ref _state, Closing, Open) != Open)
        {
            return;
        }

        try
        {
            using var closeBy = CancellationTokenSource.CreateLinkedTokenSource(_deadline.Token, cancellationToken);
            EndSubscriptions();
            // QUIT goes after everything already sent on each connection, so those get out first.
            await redis.CloseAsync(allowCommandsToComplete: true).WaitAsync(closeBy.Token);
            Interlocked.Exchange(ref _state, Closed);
        }
        catch (Exception exception)
        {
            logger.LogDebug(exception, "Closing the connection to Redis did not finish in time");
            Drop("Redis did not finish closing within the stop's deadline");
        }
    }

    public void Dispose() => _deadline.Dispose();

    private async Task<bool> AnswersAsync(CancellationToken cancellationToken)
    {
        try
        {
            await redis.GetDatabase().PingAsync().WaitAsync(StopProbeTimeout, cancellationToken);
            return true;
        }
        catch (Exception exception)
        {
            logger.LogDebug(exception, "Redis did not answer the stop's ping");
            return false;
        }
    }

    /// <summary>Closes the connection without waiting for Redis: whatever still waits on it fails at once.</summary>
    private void Drop(string why)
    {
        var was = Interlocked.Exchange(ref _state, Closed);
        if (was == Closed)
        {
            return;
        }

        logger.LogWarning("{Why}: closing the connection to it without waiting", why);
        try
        {
            if (was == Open)
            {
                EndSubscriptions();
            }

            // Without QUIT nothing here waits on Redis: the sockets close, and every call still waiting on them fails.
            _ = redis.CloseAsync(allowCommandsToComplete: false);
        }
        catch (Exception exception)
        {
            logger.LogDebug(exception, "Dropping the connection to Redis failed");
        }
    }

    /// <summary>
    /// Forgets every subscription of this node's connection at once. The UNSUBSCRIBEs are sent but not waited for:
    /// closing the connection ends them on the server anyway. Done as the stop begins, and again right before the
    /// connection closes, for one made in between (the node bus subscribing again).
    /// </summary>
    private void EndSubscriptions()
    {
        try
        {
            _ = redis.GetSubscriber().UnsubscribeAllAsync();
        }
        catch (Exception exception)
        {
            logger.LogDebug(exception, "Ending the subscriptions to Redis failed");
        }
    }
}
