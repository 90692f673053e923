using Microsoft.AspNetCore.HttpOverrides;

namespace LiveDiscussion.Web.Security;

/// <summary>
/// The edges of the site that face the open internet: forwarded headers from configured proxies only, HSTS behind
/// HTTPS, the security headers of every response, and the origin check for live connections and cookie writes.
/// </summary>
public static class SecurityExtensions
{
    public static void AddSecurity(this WebApplicationBuilder builder)
    {
        var options = SecurityOptions.From(builder.Configuration);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<SecurityHeaders>();
        builder.Services.AddSingleton<OriginCheck>();

        builder.Services.Configure<ForwardedHeadersOptions>(forwarded =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // Only the configured proxies: the framework's default trusts loopback, which on a host where anything
            // local can reach the node would let it claim any client address.
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var proxy in options.KnownProxies)
            {
                forwarded.KnownProxies.Add(proxy);
            }

            foreach (var network in options.KnownNetworks)
            {
                forwarded.KnownIPNetworks.Add(network);
            }

            // Each hop is read from the nearest back only while it comes from a known proxy, so a chain of them
            // (a CDN, then nginx) needs no count, and what a client wrote at the far end is never taken.
            forwarded.ForwardLimit = null;
        });
        builder.Services.AddHsts(hsts => hsts.MaxAge = TimeSpan.FromDays(365));
    }

    /// <summary>First in the pipeline: everything after it sees the client's address and scheme, and every response the headers.</summary>
    public static void UseSecurity(this WebApplication app)
    {
        if (app.Services.GetRequiredService<SecurityOptions>().TrustsAProxy)
        {
            app.UseForwardedHeaders();
        }

        // Only over HTTPS (the middleware looks), and not in Development, where a browser would remember it for localhost.
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
        }

        var headers = app.Services.GetRequiredService<SecurityHeaders>();
        app.Use((context, next) => headers.InvokeAsync(context, next));
        var origins = app.Services.GetRequiredService<OriginCheck>();
        app.Use((context, next) => origins.InvokeAsync(context, next));
    }
}
