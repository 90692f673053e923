using LiveDiscussion.Contracts;
using LiveDiscussion.LoadTest.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LiveDiscussion.LoadTest.Baseline;

/// <summary>
/// The ceiling of SignalR on this machine: the hub path, watch method and reply endpoint of the real server, minus
/// auth, storage and rendering. A reply is given a seq and broadcast to the thread's group, nothing more.
/// </summary>
public static class BaselineServer
{
    /// <summary>
    /// The bare hub, not yet started. <paramref name="threads"/> carries the state over from an earlier instance: a test
    /// restarting the "node" keeps its log, as the real server keeps its database.
    /// </summary>
    public static WebApplication Build(string urls, BaselineThreads? threads = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(urls);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);

        builder.Services.AddSingleton(threads ?? new BaselineThreads());
        builder.Services.ConfigureHttpJsonOptions(options => WireJson.Configure(options.SerializerOptions));
        builder.Services.AddSignalR()
            .AddJsonProtocol(options => WireJson.Configure(options.PayloadSerializerOptions))
            .AddMessagePackProtocol();

        var app = builder.Build();
        app.MapHub<BaselineHub>(DiscussionHubContract.Path);
        app.MapPost("/api/threads", (CreateThreadRequest request, BaselineThreads threads) =>
        {
            var thread = BaselineThreads.NewThread(threads.NewThreadId(), request);
            return TypedResults.Created($"/api/threads/{thread.Id}", thread);
        });
        app.MapPost("/api/threads/{id:long}/replies", PostReplyAsync);
        return app;
    }

    /// <summary>Serves until Ctrl+C, SIGTERM or <paramref name="ct"/>.</summary>
    public static async Task RunAsync(string urls, TextWriter output, CancellationToken ct)
    {
        await using var app = Build(urls);
        await app.StartAsync(ct);
        output.WriteLine($"baseline-server: bare hub at {string.Join(", ", Addresses(app))}{DiscussionHubContract.Path}; Ctrl+C stops it");

        // The host's lifetime hears SIGTERM (a script's kill) and SIGINT; the token is the tool's own Ctrl+C handler.
        var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (app.Lifetime.ApplicationStopping.Register(() => stop.TrySetResult()))
        using (ct.Register(() => stop.TrySetResult()))
        {
            await stop.Task;
        }

        await app.StopAsync(CancellationToken.None);
    }

    /// <summary>The addresses Kestrel actually bound, with real port numbers when port 0 was asked for.</summary>
    public static IReadOnlyList<string> Addresses(WebApplication app) => [.. app.Urls];

    private static async Task<IResult> PostReplyAsync(
        long id, NewReplyRequest request, BaselineThreads threads, IHubContext<BaselineHub, IDiscussionClient> hub)
    {
        if (BaselineThreads.AcceptableBody(request.Body) is not { } body)
        {
            return TypedResults.Problem(BaselineThreads.BodyRule, statusCode: 400);
        }

        var threadEvent = threads.AppendReply(id, request.ParentReplyId, body);
        await hub.Clients.Group(BaselineHub.Group(id)).ThreadEvent(threadEvent);
        return TypedResults.Created($"/api/replies/{threadEvent.Reply!.Id}", threadEvent.Reply);
    }
}
