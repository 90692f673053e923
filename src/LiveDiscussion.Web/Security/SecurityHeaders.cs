using System.Buffers.Text;
using System.Security.Cryptography;

namespace LiveDiscussion.Web.Security;

/// <summary>
/// The headers every response carries: a Content-Security-Policy, <c>X-Content-Type-Options: nosniff</c> and a
/// <c>Referrer-Policy</c>. They are set as the response starts, so error pages and re-executed status pages carry them
/// too.
/// <para>
/// The policy, directive by directive:
/// <list type="bullet">
/// <item><c>script-src 'self' 'nonce-…'</c>: blazor.web.js, MudBlazor's script and the modules are files of this site;
/// the one inline script, Blazor's import map, carries this response's nonce (<see cref="NonceOf"/>). Blazor Server needs
/// no <c>'unsafe-eval'</c> (only WebAssembly does).</item>
/// <item><c>style-src 'self' 'unsafe-inline'</c>: MudBlazor sets <c>style</c> attributes on its components (and Blazor
/// writes them with setAttribute, which a nonce cannot cover), and the theme is one inline <c>&lt;style&gt;</c>. What
/// readers write cannot use this: the sanitizer removes every <c>style</c> attribute and element from bodies, and
/// without script an injected style can restyle a page but not run anything.</item>
/// <item><c>img-src 'self' data: https: http:</c>: imported blog posts show their images from wherever the blog kept
/// them.</item>
/// <item><c>connect-src 'self'</c>: the circuit's and the hub's WebSockets (same origin, ws: or wss:).</item>
/// <item><c>frame-ancestors 'self'</c> plus <c>Security:FrameAncestors</c>: Blazor's own default (a page framed by
/// another site could be driven through its compressed WebSocket), which this header replaces; Blazor's is turned off
/// where the pages are mapped.</item>
/// <item><c>object-src 'none'</c>, <c>base-uri 'self'</c>, <c>form-action 'self'</c>, everything else <c>'self'</c>.</item>
/// </list>
/// </para>
/// </summary>
public sealed class SecurityHeaders(SecurityOptions options)
{
    private const string NonceKey = "LiveDiscussion.CspNonce";

    private readonly string _beforeNonce = "default-src 'self'; script-src 'self' 'nonce-";

    private readonly string _afterNonce = "'; style-src 'self' 'unsafe-inline'; img-src 'self' data: https: http:; "
        + "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
        + $"frame-ancestors {string.Join(' ', ["'self'", .. options.FrameAncestors])}";

    /// <summary>This response's script nonce, for the page's one inline script (the import map).</summary>
    public static string? NonceOf(HttpContext context) => context.Items[NonceKey] as string;

    public Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        // Base64url: no character the page's markup would have to escape.
        var nonce = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));
        context.Items[NonceKey] = nonce;
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = string.Concat(_beforeNonce, nonce, _afterNonce);
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
            return Task.CompletedTask;
        });
        return next(context);
    }
}
