using System.Net;
using System.Net.WebSockets;
using LiveDiscussion.Contracts;
using LiveDiscussion.TestSupport;

namespace LiveDiscussion.Tests.Security;

/// <summary>
/// Another site's page cannot use a reader's browser against this one: not through the hub or a circuit, and not
/// through a write carrying the sign-in cookie. This site's pages, the configured origins and clients that are not
/// browsers still can.
/// </summary>
public sealed class OriginCheckTests(OriginCheckTests.FriendlyApp app) : IClassFixture<OriginCheckTests.FriendlyApp>
{
    public const string Friend = "https://friend.example";
    public const string Embedder = "https://embedder.example:8443";
    private const string Evil = "http://evil.example";

    /// <summary>An app of its own: it allows one more origin and one framing site.</summary>
    public sealed class FriendlyApp() : TestApp(seedDemo: false, settings: new Dictionary<string, string?>
    {
        ["Security:AllowedOrigins:0"] = Friend,
        ["Security:FrameAncestors"] = Embedder,
    });

    private string Own => app.BaseAddress.GetLeftPart(UriPartial.Authority);

    [Fact]
    public async Task A_cookie_signed_in_reply_from_a_foreign_origin_is_refused_with_the_rule_and_not_stored()
    {
        using var member = await app.SignedInWithCookieAsync("cookie-reader");
        using var admin = await app.AdminAsync();
        var thread = await admin.StartThreadAsync("Cross-site writes");

        var refused = await member.SendAsync(CookieClient.Reply(thread.Id, "sent by evil.example", Evil));

        var problem = await refused.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "Same-origin rule");
        Assert.Contains(Evil, problem.GetProperty("detail").GetString());
        Assert.Equal("Same-origin rule", problem.GetProperty("title").GetString());
        Assert.Empty((await admin.GetThreadAsync(thread.Id)).Replies);

        foreach (var origin in new[] { "null", "http://evil.example:80/path" })
        {
            await (await member.SendAsync(CookieClient.Reply(thread.Id, "from an odd origin", origin)))
                .ShouldBeProblemAsync(HttpStatusCode.Forbidden, "Same-origin rule");
        }

        Assert.Empty((await admin.GetThreadAsync(thread.Id)).Replies);
    }

    [Fact]
    public async Task A_cookie_signed_in_reply_from_this_site_a_configured_origin_or_no_origin_is_stored_and_from_another_is_not()
    {
        using var member = await app.SignedInWithCookieAsync("cookie-writer");
        using var admin = await app.AdminAsync();
        var thread = await admin.StartThreadAsync("Own writes");

        Assert.Equal(HttpStatusCode.Created, (await member.SendAsync(CookieClient.Reply(thread.Id, "from this site", Own))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await member.SendAsync(CookieClient.Reply(thread.Id, "from a friend", Friend))).StatusCode);
        // Not a browser: browsers send Origin with every cross-site write.
        Assert.Equal(HttpStatusCode.Created, (await member.SendAsync(CookieClient.Reply(thread.Id, "from a script", null))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden,
            (await member.SendAsync(CookieClient.Reply(thread.Id, "from a stranger", "https://stranger.example"))).StatusCode);

        Assert.Equal(["from this site", "from a friend", "from a script"], (await admin.GetThreadAsync(thread.Id)).Replies.Select(r => r.Body));
    }

    [Fact]
    public async Task A_bearer_token_write_is_not_a_browsers_and_is_not_checked_while_the_same_write_with_the_cookie_is()
    {
        using var withToken = await app.MemberAsync("bearer");
        using var withCookie = await app.SignedInWithCookieAsync("cookie");
        var thread = await withToken.StartThreadAsync("Bearer writes");

        var stored = await withToken.SendAsync(CookieClient.Reply(thread.Id, "with a token", Evil));
        var refused = await withCookie.SendAsync(CookieClient.Reply(thread.Id, "with the cookie", Evil));

        Assert.Equal(HttpStatusCode.Created, stored.StatusCode);
        await refused.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "bearer token");
    }

    [Fact]
    public async Task A_forwarded_scheme_from_a_peer_that_is_not_a_configured_proxy_does_not_count()
    {
        using var member = await app.SignedInWithCookieAsync("forwarded");
        var thread = await (await app.AdminAsync()).StartThreadAsync("Forwarded scheme");
        var httpsOrigin = "https://" + app.BaseAddress.Authority;

        var refused = await member.SendAsync(CookieClient.Reply(thread.Id, "claims https", httpsOrigin, forwardedProto: "https"));

        await refused.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "Same-origin rule");
    }

    [Theory]
    [InlineData(DiscussionHubContract.Path)]
    [InlineData("/_blazor")]
    public async Task Negotiating_a_live_connection_from_a_foreign_origin_is_refused_and_from_this_site_or_a_friend_is_not(string path)
    {
        using var http = app.Anonymous();

        foreach (var origin in new[] { Evil, "null" })
        {
            var refused = await http.SendAsync(Negotiate(path, origin));
            var problem = await refused.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "live updates");
            Assert.Equal("Same-origin rule", problem.GetProperty("title").GetString());
        }

        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(Negotiate(path, Own))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(Negotiate(path, Friend))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(Negotiate(path, null))).StatusCode);
    }

    [Fact]
    public async Task A_hub_websocket_from_a_foreign_origin_is_refused_before_the_upgrade()
    {
        var hub = new UriBuilder(new Uri(app.BaseAddress, DiscussionHubContract.Path)) { Scheme = "ws" }.Uri;

        using var foreign = new ClientWebSocket();
        foreign.Options.CollectHttpResponseDetails = true;
        foreign.Options.SetRequestHeader("Origin", Evil);
        await Assert.ThrowsAsync<WebSocketException>(() => foreign.ConnectAsync(hub, CancellationToken.None));
        Assert.Equal(HttpStatusCode.Forbidden, foreign.HttpStatusCode);

        using var own = new ClientWebSocket();
        own.Options.SetRequestHeader("Origin", Own);
        await own.ConnectAsync(hub, CancellationToken.None);
        Assert.Equal(WebSocketState.Open, own.State);
        await own.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
    }

    [Fact]
    public async Task Pages_may_be_framed_by_this_site_and_the_configured_ancestors_only()
    {
        using var http = app.Anonymous();

        var page = await http.GetAsync("/");

        var policy = Assert.Single(page.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains($"frame-ancestors 'self' {Embedder}", policy);
    }

    private static HttpRequestMessage Negotiate(string path, string? origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"{path}/negotiate?negotiateVersion=1");
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        return request;
    }
}
