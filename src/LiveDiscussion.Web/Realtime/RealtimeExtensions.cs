using System.Text.Json.Serialization;
using LiveDiscussion.Contracts;
using LiveDiscussion.Web.Features.Accounts;
using LiveDiscussion.Web.Realtime.ScaleOut;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.SignalR;

namespace LiveDiscussion.Web.Realtime;

public static class RealtimeExtensions
{
    /// <summary>
    /// How long a node's stop may take, from the signal to the end of the process. The host's default 30 s would let one
    /// connection that never closes hold a restart that long. Five seconds is enough for a write in flight (group commit
    /// waits for its batch) and keeps a restart short; Redis gets a bounded share of it (<see cref="RedisConnection"/>).
    /// </summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(5);
    private const int ReconnectingCrowdBacklog = 8192;

    public static void AddRealtime(this WebApplicationBuilder builder)
    {
        builder.Services.AddSignalR()
            .AddHubOptions<DiscussionHub>(options =>
            {
                options.AddFilter<ProblemHubFilter>();
                // The largest call a client makes is PostReply with a 10,000-character body.
                options.MaximumReceiveMessageSize = DiscussionHubContract.MaximumReceiveMessageSize;
                // Argument binding failures then say which argument was wrong; everything thrown later is replaced
                // by ProblemHubFilter, so no internal detail reaches a client.
                options.EnableDetailedErrors = true;
            })
            .AddJsonProtocol(options => options.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter()))
            .AddMessagePackProtocol();

        builder.AddScaleOut();
        builder.Services.AddSingleton<ProblemHubFilter>();
        builder.Services.AddSingleton<NodeFeed>();
        builder.Services.AddSingleton<NodeDispatcher>();
        builder.Services.AddSingleton<ThreadEventPublisher>();
        builder.Services.AddSingleton<PresenceTracker>();
        builder.Services.AddHostedService(services => services.GetRequiredService<PresenceTracker>());
        builder.Services.AddSingleton<TypingTracker>();
        builder.Services.AddHostedService(services => services.GetRequiredService<TypingTracker>());
        builder.Services.AddScoped<CircuitConnection>();
        builder.Services.AddScoped<CircuitHandler>(services => services.GetRequiredService<CircuitConnection>());

        // WebSockets cannot carry an Authorization header from a browser, so hub clients pass their bearer token as
        // access_token; it is read here for the hub only.
        builder.Services.Configure<BearerTokenOptions>(IdentityConstants.BearerScheme, options =>
            options.Events.OnMessageReceived = context =>
            {
                if (context.Request.Path.StartsWithSegments(DiscussionHubContract.Path)
                    && context.Request.Query["access_token"] is [{ Length: > 0 } token])
                {
                    context.Token = token;
                }

                return Task.CompletedTask;
            });

        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = ShutdownTimeout);

        // After a restart every watcher connects again within the same second. Kestrel's default accept queue holds
        // 512; the kernel drops the SYNs beyond it, and those clients wait out TCP's retransmission (1 s, 3 s, 7 s…)
        // before they are even heard. The kernel caps this at net.core.somaxconn.
        builder.WebHost.UseSockets(sockets => sockets.Backlog = ReconnectingCrowdBacklog);

        builder.Services.AddSingleton<ILoggerProvider, OversizedMessageLog>();
        builder.Logging.AddFilter<OversizedMessageLog>(OversizedMessageLog.HubConnectionCategory, LogLevel.Debug);

        // The request-start log line carries the query string, and with it a hub client's access_token.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", level => level >= LogLevel.Warning);
    }

    public static void MapRealtime(this WebApplication app)
    {
        // A stopping node closes its hub connections, and their clients come straight back. Taken in, they would be
        // closed by no one and hold the stop until its timeout; turned away, they try again and find the next node.
        var stopping = app.Lifetime.ApplicationStopping;
        app.UseWhen(context => context.Request.Path.StartsWithSegments(DiscussionHubContract.Path), hub => hub.Use(
            (context, next) => stopping.IsCancellationRequested ? TurnAwayAsync(context) : next(context)));
        app.MapHub<DiscussionHub>(DiscussionHubContract.Path);
    }

    private static Task TurnAwayAsync(HttpContext context)
    {
        context.Response.Headers.RetryAfter = "1";
        context.Response.Headers.Connection = "close";
        return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "This node is stopping.",
            detail: "Connect again in a moment: another node, or this one once it has restarted, will take you.").ExecuteAsync(context);
    }
}
