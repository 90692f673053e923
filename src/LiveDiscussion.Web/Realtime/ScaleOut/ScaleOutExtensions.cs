using LiveDiscussion.Web.Infrastructure;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace LiveDiscussion.Web.Realtime.ScaleOut;

/// <summary>
/// With <c>Redis:Connection</c> set, nodes share one conversation through Redis: one pub/sub channel carries every
/// kind of news to every node (see <see cref="RedisNodeBus"/>), and viewer counts are added up in Redis. Without it, one
/// node runs alone and everything stays in process.
/// <para>
/// SignalR's Redis backplane is not used: each node delivers news to its own hub connections through
/// <see cref="NodeDispatcher"/>, as it does to its pages. So hub clients connect, and get what their node stores, while
/// Redis is away (the backplane needs Redis to take a connection at all), and one path serves pages and hub clients.
/// </para>
/// </summary>
public static class ScaleOutExtensions
{
    public const string ConfigurationKey = "Redis:Connection";

    /// <summary>Every channel and key this app uses in Redis starts with it, so one Redis can serve other apps too.</summary>
    public const string Prefix = "LiveDiscussion:";

    public static void AddScaleOut(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton(NodeIdentity.ForThisProcess());

        var connection = builder.Configuration[ConfigurationKey];
        if (string.IsNullOrWhiteSpace(connection))
        {
            services.AddSingleton<INodeBus, InProcessNodeBus>();
            services.AddSingleton<ILiveLink, InProcessLiveLink>();
            services.AddSingleton<IViewerCounts, InProcessViewerCounts>();
            return;
        }

        // Messages carry rendered HTML that pages show as it is: without a key, anyone able to publish to this Redis could
        // put markup into every page, so a node refuses to start rather than trust the channel.
        var key = builder.Configuration[NodeMessageSeal.ConfigurationKey];
        if (string.IsNullOrWhiteSpace(key))
        {
            throw new InvalidOperationException(
                $"{ConfigurationKey} is set but {NodeMessageSeal.ConfigurationKey} is not. Every node sharing the Redis needs the same "
                + $"secret key of at least {NodeMessageSeal.MinimumKeyLength} characters (make one with: openssl rand -base64 32).");
        }

        services.AddSingleton(new NodeMessageSeal(key));

        var options = ConfigurationOptions.Parse(connection);
        // Start and serve pages without Redis, and keep retrying; fail Redis commands at once while it is away rather
        // than queueing them, so nothing waits on it (changes are stored, and viewers catch up by seq).
        options.AbortOnConnectFail = false;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.ChannelPrefix = RedisChannel.Literal(Prefix);
        options.ClientName ??= "LiveDiscussion";

        services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(options));
        // Closes it within the host's stop, whatever Redis does, before the services that use it are disposed.
        services.AddHostedService<RedisConnection>();
        services.AddSingleton<RedisNodeBus>();
        services.AddSingleton<INodeBus>(provider => provider.GetRequiredService<RedisNodeBus>());
        services.AddSingleton<ILiveLink>(provider => provider.GetRequiredService<RedisNodeBus>());
        services.AddHostedService(provider => provider.GetRequiredService<RedisNodeBus>());
        services.AddSingleton<IViewerCounts, RedisViewerCounts>();

        services.AddHealthChecks().AddCheck<RedisHealthCheck>("redis", tags: [HealthExtensions.Ready]);
    }

    /// <summary>Without Redis this node still serves and stores everything; only live updates across nodes stop.</summary>
    private sealed class RedisHealthCheck(ILiveLink link) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(link.IsLive
                ? HealthCheckResult.Healthy("Redis carries live updates between nodes.")
                : HealthCheckResult.Degraded("Redis is unreachable: pages and posting work, live updates are paused."));
    }
}
