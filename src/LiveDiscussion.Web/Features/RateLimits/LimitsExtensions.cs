using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using LiveDiscussion.Contracts;
using LiveDiscussion.Web.Features.Accounts;
using LiveDiscussion.Web.Infrastructure;
using LiveDiscussion.Web.Realtime;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace LiveDiscussion.Web.Features.RateLimits;

/// <summary>
/// The limits: posting (<see cref="PostingLimits"/>, asked by the reply and thread services), hub calls per connection
/// (<see cref="HubCallLimitFilter"/>), and per client address, with ASP.NET Core's rate limiter: registrations, sign-ins,
/// and hub and circuit connections. <c>RateLimits:Enabled</c> false leaves all of them out.
/// </summary>
public static class LimitsExtensions
{
    /// <summary>The path Blazor Server's circuits connect on.</summary>
    private const string CircuitPath = "/_blazor";

    public static void AddLimits(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<RateLimitOptions>(builder.Configuration.GetSection(RateLimitOptions.Section));
        builder.Services.AddSingleton<PostingLimits>();
        builder.Services.AddSingleton<HubCallLimitFilter>();
        // Before the hub's own filters: a call over the limit is turned away before anything else looks at it.
        builder.Services.Configure<HubOptions<DiscussionHub>>(hub => hub.AddFilter<HubCallLimitFilter>());
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = RefuseAsync;
        });
        builder.Services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>>((limiter, limits) =>
            limiter.GlobalLimiter = PerAddress(limits.Value));
    }

    public static void UseLimits(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<RateLimitOptions>>().Value.Enabled)
        {
            app.UseRateLimiter();
            app.Use(RefuseRepeatedPostsAsync);
        }
    }

    /// <summary>
    /// A post (<see cref="PostingEndpoint"/>) from someone still refused is answered here, before its body is read and
    /// after <see cref="PostingLimits.RefuseRepeatAsync"/>'s pause: a script looping on 429s costs the node little.
    /// </summary>
    private static async Task RefuseRepeatedPostsAsync(HttpContext context, RequestDelegate next)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<PostingEndpoint>() is { } posting
            && Actor.SignedInUserId(context.User) is { } userId
            && await context.RequestServices.GetRequiredService<PostingLimits>()
                .RefuseRepeatAsync(userId, posting.Thread, context.RequestAborted) is { } problem)
        {
            await WriteProblemAsync(context, problem);
            return;
        }

        await next(context);
    }

    /// <summary>What one client address may do, by what the request is; everything else passes untouched.</summary>
    private static PartitionedRateLimiter<HttpContext> PerAddress(RateLimitOptions limits) =>
        PartitionedRateLimiter.Create<HttpContext, string>(context => KindOf(context.Request) switch
        {
            AddressLimit.Registration => Window($"register:{AddressOf(context)}", limits.Registrations),
            AddressLimit.SignIn => Window($"sign-in:{AddressOf(context)}", limits.SignIns),
            AddressLimit.Connection => Window($"connect:{AddressOf(context)}", limits.Connections),
            _ => RateLimitPartition.GetNoLimiter(""),
        });

    private static RateLimitPartition<string> Window(string key, WindowLimit limit) =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = limit.PermitLimit,
            Window = limit.Window,
            QueueLimit = 0,
            AutoReplenishment = true,
        });

    private enum AddressLimit
    {
        None,
        Registration,
        SignIn,
        Connection,
    }

    private static AddressLimit KindOf(HttpRequest request)
    {
        var path = request.Path;
        if (HttpMethods.IsPost(request.Method))
        {
            if (path.Equals("/api/auth/register", StringComparison.OrdinalIgnoreCase)
                || path.Equals("/account/register", StringComparison.OrdinalIgnoreCase))
            {
                return AddressLimit.Registration;
            }

            if (path.Equals("/api/auth/login", StringComparison.OrdinalIgnoreCase)
                || path.Equals("/account/login", StringComparison.OrdinalIgnoreCase))
            {
                return AddressLimit.SignIn;
            }
        }

        return IsConnectionStart(request, DiscussionHubContract.Path) || IsConnectionStart(request, CircuitPath)
            ? AddressLimit.Connection
            : AddressLimit.None;
    }

    /// <summary>
    /// A new connection: its negotiation, or a WebSocket opened without one (a client that skips negotiation). The
    /// requests of a connection already negotiated carry its id and are not counted again.
    /// </summary>
    private static bool IsConnectionStart(HttpRequest request, string hubPath) =>
        request.Path.StartsWithSegments(hubPath, out var rest)
        && (rest.Equals("/negotiate", StringComparison.OrdinalIgnoreCase)
            || (!rest.HasValue && HttpMethods.IsGet(request.Method) && !request.Query.ContainsKey("id")));

    private static string AddressOf(HttpContext context) =>
        context.Connection.RemoteIpAddress is { } address
            ? (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString()
            : IPAddress.None.ToString();

    private static string RefusalPage(string message, PathString formPath) =>
        $"""
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>Please wait · LiveDiscussion</title>
        <link rel="stylesheet" href="/site.css"></head>
        <body><main class="refusal"><h1>Please wait a moment</h1>
        <p data-testid="rate-limited">{WebUtility.HtmlEncode(message)}</p>
        <p><a href="{WebUtility.HtmlEncode(formPath.Value)}">Back to the form</a></p></main></body></html>
        """;

    private static async ValueTask RefuseAsync(OnRejectedContext rejected, CancellationToken ct)
    {
        var context = rejected.HttpContext;
        var wait = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromMinutes(1);
        var reason = KindOf(context.Request) switch
        {
            AddressLimit.Registration => "Too many accounts were made from your address.",
            AddressLimit.SignIn => "Too many sign-in attempts from your address.",
            _ => "Too many connections from your address.",
        };
        var problem = DiscussionProblem.TooManyRequests(reason, wait);
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = problem.RetryAfterSeconds!.Value.ToString(CultureInfo.InvariantCulture);
        if (context.Request.Path.StartsWithSegments("/account"))
        {
            // A person sent the register or sign-in page's form: they read a page, not JSON.
            context.Response.ContentType = "text/html; charset=utf-8";
            await context.Response.WriteAsync(RefusalPage(problem.Message, context.Request.Path), ct);
            return;
        }

        await WriteProblemAsync(context, problem);
    }

    /// <summary>A 429 as the API gives every one: Retry-After, and ProblemDetails saying when to try again.</summary>
    private static async Task WriteProblemAsync(HttpContext context, DiscussionProblem problem)
    {
        context.Response.StatusCode = problem.StatusCode;
        context.Response.Headers.RetryAfter = problem.RetryAfterSeconds!.Value.ToString(CultureInfo.InvariantCulture);
        var details = new ProblemDetails { Status = problem.StatusCode, Detail = problem.Message };
        details.Extensions["retryAfter"] = problem.RetryAfterSeconds;
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = details,
        });
    }
}
