using LiveDiscussion.Web.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.StackExchangeRedis;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace LiveDiscussion.Web.Realtime.ScaleOut;

/// <summary>
/// With <c>Redis:Connection</c> set, nodes share one conversation through Redis: SignalR's backplane for the discussion
/// hub's clients, a pub/sub channel for everything else (see <see cref="RedisNodeBus"/>), and viewer counts in Redis.
/// Without it, one node runs alone and everything stays in process.
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
        services.AddSingleton<NodeInbox>();

        var connection = builder.Configuration[ConfigurationKey];
        if (string.IsNullOrWhiteSpace(connection))
        {
            services.AddSingleton<INodeBus, InProcessNodeBus>();
            services.AddSingleton<ILiveLink, InProcessLiveLink>();
            services.AddSingleton<IViewerCounts, InProcessViewerCounts>();
            return;
        }

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

        // The backplane for DiscussionHub alone: Blazor's own circuit hub stays in process, so pages keep working
        // while Redis is down. It shares this node's one Redis connection.
        services.AddOptions<RedisOptions>().Configure<IServiceProvider>((redisOptions, provider) =>
        {
            redisOptions.Configuration = options;
            redisOptions.ConnectionFactory = _ => Task.FromResult(provider.GetRequiredService<IConnectionMultiplexer>());
        });
        services.AddSingleton<HubLifetimeManager<DiscussionHub>, RedisHubLifetimeManager<DiscussionHub>>();

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
