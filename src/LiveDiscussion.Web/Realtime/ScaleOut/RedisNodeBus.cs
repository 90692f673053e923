using System.Text.Json;
using LiveDiscussion.Contracts;
using StackExchange.Redis;

namespace LiveDiscussion.Web.Realtime.ScaleOut;

/// <summary>
/// The node bus over one Redis pub/sub channel, and the judge of whether this node's live updates flow. The link counts
/// as live only once a probe this node published has come back through its own subscription, so "live" means
/// messages really arrive, not merely that a socket is open. When the link goes, this node's pages and hub clients are
/// told live updates are paused; when it is back, they are told to catch up from their last seq.
/// <para>
/// Bus and judge are one class because each needs the other: the verdict rests on this bus's own subscription, and
/// where a message goes (Redis, or this node alone) rests on the verdict.
/// </para>
/// <para>
/// Every message on the channel is sealed with the nodes' shared key (<see cref="NodeMessageSeal"/>); one without the
/// right seal was not sent by a node and is dropped, and the drops are logged once per minute at most, with their count,
/// so a flood of forgeries cannot flood the log.
/// </para>
/// </summary>
public sealed class RedisNodeBus(
    IConnectionMultiplexer redis,
    NodeIdentity node,
    NodeDispatcher dispatcher,
    NodeMessageSeal seal,
    TimeProvider clock,
    ILogger<RedisNodeBus> logger)
    : BackgroundService, INodeBus, ILiveLink
{
    public static readonly TimeSpan CheckInterval = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);
    private const int FailedProbesBeforeResubscribing = 3;
    private static readonly TimeSpan DroppedMessagesLogInterval = TimeSpan.FromMinutes(1);

    private static readonly RedisChannel Channel = RedisChannel.Literal("nodes");
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly Lock _probeLock = new();
    private (Guid Nonce, TaskCompletionSource Returned)? _probe;
    private ChannelMessageQueue? _queue;
    // 1 when live; changed only by Interlocked.Exchange, so the check loop and a connection-failure event racing each
    // other announce one change, once.
    private int _live;
    private int _failedProbes;
    // Touched only by ReceiveAsync, which the subscription's queue calls one message at a time.
    private int _droppedSinceLogged;
    private DateTimeOffset _droppedLoggedAt = DateTimeOffset.MinValue;

    // Also not live the moment the connection closes (Redis gone, or this node stopping), before the check loop notices:
    // nothing sent then could arrive.
    public bool IsLive => Volatile.Read(ref _live) == 1 && redis.IsConnected;

    public async Task PublishAsync(NodeMessage message)
    {
        if (IsLive)
        {
            try
            {
                await redis.GetSubscriber().PublishAsync(Channel, Sealed(message));
                return;
            }
            catch (Exception exception)
            {
                logger.LogWarning(exception, "Publishing to the other nodes failed; only this node hears it");
            }
        }

        // While paused this node's own pages still hear what happens here; the others catch up when the link is back.
        await dispatcher.ReceiveAsync(message);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        redis.ConnectionFailed += (_, failure) =>
        {
            if (failure.ConnectionType == ConnectionType.Subscription)
            {
                _ = SetLiveAsync(false);
            }
        };

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!redis.IsConnected)
                {
                    await SetLiveAsync(false);
                }
                else if (!IsLive && await ProbeAsync(stoppingToken))
                {
                    await SetLiveAsync(true);
                }
            }
            catch (Exception exception)
            {
                if (stoppingToken.IsCancellationRequested)
                {
                    // The node is stopping: whatever Redis said no longer matters, and RedisConnection closes the link.
                    return;
                }

                logger.LogDebug(exception, "Checking the link to Redis failed");
            }

            await Task.Delay(CheckInterval, clock, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private async Task<bool> ProbeAsync(CancellationToken stoppingToken)
    {
        // Redis calls take no token; a stop must not wait for their timeout.
        if (_queue is null || _failedProbes >= FailedProbesBeforeResubscribing)
        {
            await SubscribeAsync().WaitAsync(stoppingToken);
        }

        var returned = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var nonce = Guid.NewGuid();
        lock (_probeLock)
        {
            _probe = (nonce, returned);
        }

        await redis.GetSubscriber().PublishAsync(Channel, Sealed(new LinkProbe(node.Id, nonce))).WaitAsync(stoppingToken);
        var arrived = await Task.WhenAny(returned.Task, Task.Delay(ProbeTimeout, clock, stoppingToken)) == returned.Task;
        _failedProbes = arrived ? 0 : _failedProbes + 1;
        return arrived;
    }

    private async Task SubscribeAsync()
    {
        _failedProbes = 0;
        if (_queue is { } stale)
        {
            _queue = null;
            await stale.UnsubscribeAsync();
        }

        // A queue, not a callback: messages are handled one at a time in the order Redis sent them.
        var queue = await redis.GetSubscriber().SubscribeAsync(Channel);
        queue.OnMessage(ReceiveAsync);
        _queue = queue;
    }

    private async Task ReceiveAsync(ChannelMessage received)
    {
        try
        {
            if (!seal.TryOpen((byte[]?)received.Message ?? [], out var json))
            {
                Dropped();
                return;
            }

            var message = JsonSerializer.Deserialize<NodeMessage>(json.Span, Json);
            if (message is LinkProbe probe)
            {
                lock (_probeLock)
                {
                    if (probe.NodeId == node.Id && _probe is { } waiting && waiting.Nonce == probe.Nonce)
                    {
                        waiting.Returned.TrySetResult();
                    }
                }

                return;
            }

            if (message is not null)
            {
                await dispatcher.ReceiveAsync(message);
            }
        }
        catch (Exception exception)
        {
            logger.LogWarning(exception, "A message from the other nodes could not be handled");
        }
    }

    private byte[] Sealed(NodeMessage message) => seal.Seal(JsonSerializer.SerializeToUtf8Bytes(message, Json));

    private void Dropped()
    {
        _droppedSinceLogged++;
        var now = clock.GetUtcNow();
        if (now - _droppedLoggedAt < DroppedMessagesLogInterval)
        {
            return;
        }

        logger.LogWarning(
            "Dropped {Count} message(s) on the Redis channel without a valid seal: something that does not hold {Key} is "
            + "publishing there, or a node has another key. Further drops are counted and logged at most once a minute",
            _droppedSinceLogged, NodeMessageSeal.ConfigurationKey);
        _droppedSinceLogged = 0;
        _droppedLoggedAt = now;
    }

    private async Task SetLiveAsync(bool live)
    {
        if (Interlocked.Exchange(ref _live, live ? 1 : 0) == (live ? 1 : 0))
        {
            return;
        }

        if (live)
        {
            logger.LogInformation("Live updates flow again through Redis; viewers on this node catch up");
        }
        else
        {
            logger.LogWarning("Lost the link to Redis: live updates are paused on this node, changes are still stored");
        }

        await dispatcher.DeliverAsync(new LiveStatusDto(Paused: !live));
        if (live)
        {
            // Another node's viewers may have stayed live the whole time, so they missed what this node stored
            // while it could not send; and this node's trackers tell their news again.
            await PublishAsync(new LinkRestored(node.Id));
        }
    }
}
