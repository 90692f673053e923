using System.Collections.Concurrent;
using System.Net;
using LiveDiscussion.TestSupport;

namespace LiveDiscussion.Tests.Security;

/// <summary>A node in Production behind a configured proxy (here: loopback, where the tests connect from).</summary>
public sealed class BehindProxyTests(BehindProxyTests.ProxiedApp app) : IClassFixture<BehindProxyTests.ProxiedApp>
{
    /// <summary>An app of its own: Production, one trusted proxy, and its log kept.</summary>
    public sealed class ProxiedApp() : TestApp(seedDemo: false, logSink: Log, settings: new Dictionary<string, string?>
    {
        ["environment"] = "Production",
        ["ForwardedHeaders:KnownProxies:0"] = "127.0.0.1",
    })
    {
        public static readonly ConcurrentQueue<string> Log = new();
    }

    [Fact]
    public async Task Hsts_is_sent_when_the_configured_proxy_says_the_browser_came_over_https_and_never_over_plain_http()
    {
        using var http = app.Anonymous();

        var overHttps = await http.SendAsync(Get("/", forwardedProto: "https"));
        var overHttp = await http.SendAsync(Get("/", forwardedProto: null));

        Assert.Equal(HttpStatusCode.OK, overHttps.StatusCode);
        Assert.Equal("max-age=31536000", Assert.Single(overHttps.Headers.GetValues("Strict-Transport-Security")));
        Assert.False(overHttp.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task The_origin_check_compares_with_the_scheme_the_configured_proxy_forwarded()
    {
        using var member = await app.SignedInWithCookieAsync("behind-proxy");
        var thread = await (await app.AdminAsync()).StartThreadAsync("Behind a proxy");
        var httpsOrigin = "https://" + app.BaseAddress.Authority;

        var stored = await member.SendAsync(CookieClient.Reply(thread.Id, "over https", httpsOrigin, forwardedProto: "https"));
        var refused = await member.SendAsync(CookieClient.Reply(thread.Id, "says https, came over http", httpsOrigin));

        Assert.Equal(HttpStatusCode.Created, stored.StatusCode);
        await refused.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "Same-origin rule");
    }

    [Fact]
    public void Without_a_certificate_for_the_data_protection_keys_production_warns_at_start()
    {
        Assert.Contains(ProxiedApp.Log, line => line.Contains("DataProtection:CertificatePath is not set", StringComparison.Ordinal));
    }

    private static HttpRequestMessage Get(string path, string? forwardedProto)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        // A public name: HSTS is never sent for localhost or a loopback address.
        request.Headers.Host = "discussion.example";
        if (forwardedProto is not null)
        {
            request.Headers.Add("X-Forwarded-Proto", forwardedProto);
        }

        return request;
    }
}
