using LiveDiscussion.Contracts;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace LiveDiscussion.Web.Security;

/// <summary>
/// Refuses what another site's page could make a reader's browser do here with the reader's sign-in:
/// <list type="bullet">
/// <item>open the discussion hub or a Blazor circuit (negotiate, WebSocket, the fallbacks): WebSockets are not covered
/// by CORS, so without this any page could connect as the reader and read or post;</item>
/// <item>send a state-changing request (POST, PUT, PATCH, DELETE) carrying the sign-in cookie.</item>
/// </list>
/// Allowed: this site's own origin (as the request reached it, after forwarded headers from configured proxies) and the
/// origins in <c>Security:AllowedOrigins</c>. A request without an Origin header passes: browsers send one with every
/// WebSocket handshake and every cross-site request that changes state, so its absence means a client that is not a
/// browser, which holds its credentials itself and could write any Origin it liked. A request with a bearer token and
/// no cookie is not a browser's ambient credential and is not checked outside the realtime paths.
/// </summary>
public sealed class OriginCheck(SecurityOptions options, IOptionsMonitor<CookieAuthenticationOptions> cookies, ILogger<OriginCheck> logger)
{
    /// <summary>Where Blazor Server's circuits connect (negotiate, WebSocket, disconnect).</summary>
    public const string CircuitPath = "/_blazor";

    public const string RuleName = "Same-origin rule";

    private readonly string _signInCookie =
        cookies.Get(IdentityConstants.ApplicationScheme).Cookie.Name ?? ".AspNetCore.Identity.Application";

    public Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        var origins = request.Headers.Origin;
        if (origins.Count == 0)
        {
            return next(context);
        }

        var realtime = request.Path.StartsWithSegments(DiscussionHubContract.Path) || request.Path.StartsWithSegments(CircuitPath);
        var cookieWrite = !realtime && !HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method)
            && !HttpMethods.IsOptions(request.Method) && !HttpMethods.IsTrace(request.Method)
            && request.Cookies.ContainsKey(_signInCookie);
        if ((!realtime && !cookieWrite) || (origins.Count == 1 && IsAllowed(origins[0], request)))
        {
            return next(context);
        }

        logger.LogDebug("Refused {Method} {Path} from origin {Origin}", request.Method, request.Path, origins.ToString());
        return Results.Problem(
            statusCode: StatusCodes.Status403Forbidden,
            title: RuleName,
            detail: realtime
                ? $"{RuleName}: a page from {origins} may not connect to this site's live updates. Only this site's own "
                  + $"pages and the origins in {SecurityOptions.AllowedOriginsKey} may."
                : $"{RuleName}: a page from {origins} may not change anything with this site's sign-in cookie. Send the "
                  + $"request from this site's own pages or an origin in {SecurityOptions.AllowedOriginsKey}, or use a bearer token.",
            extensions: new Dictionary<string, object?> { ["rule"] = "origin" }).ExecuteAsync(context);
    }

    private bool IsAllowed(string? origin, HttpRequest request)
    {
        var normalized = SecurityOptions.Normalize(origin);
        return normalized is not null
            && (normalized == SecurityOptions.Normalize($"{request.Scheme}://{request.Host}") || options.AllowedOrigins.Contains(normalized));
    }
}
