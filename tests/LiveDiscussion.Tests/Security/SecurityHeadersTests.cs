using System.Text.RegularExpressions;
using LiveDiscussion.TestSupport;

namespace LiveDiscussion.Tests.Security;

/// <summary>Every response says how a browser must treat it: what may run, what is sniffed, what is sent on as referrer.</summary>
public sealed partial class SecurityHeadersTests(EmptyApp app) : IClassFixture<EmptyApp>
{
    [Fact]
    public async Task A_page_allows_only_its_own_scripts_and_its_import_map_by_this_responses_nonce()
    {
        using var http = app.Anonymous();

        var first = await http.GetAsync("/");
        var second = await http.GetAsync("/");

        var policy = Assert.Single(first.Headers.GetValues("Content-Security-Policy"));
        var directives = policy.Split(';', StringSplitOptions.TrimEntries).ToDictionary(d => d.Split(' ')[0], d => d);
        var nonce = NonceIn().Match(directives["script-src"]).Groups[1].Value;
        Assert.Equal($"script-src 'self' 'nonce-{nonce}'", directives["script-src"]);
        Assert.Equal("default-src 'self'", directives["default-src"]);
        Assert.Equal("object-src 'none'", directives["object-src"]);
        Assert.Equal("frame-ancestors 'self'", directives["frame-ancestors"]);
        Assert.DoesNotContain("unsafe-eval", policy);
        Assert.Contains($"<script type=\"importmap\" nonce=\"{nonce}\">", await first.Content.ReadAsStringAsync());
        Assert.NotEqual(nonce, NonceIn().Match(Assert.Single(second.Headers.GetValues("Content-Security-Policy"))).Groups[1].Value);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/api/threads")]
    [InlineData("/api/threads/999999")]
    [InlineData("/no/such/page")]
    [InlineData("/health/live")]
    public async Task Every_response_forbids_sniffing_keeps_referrers_to_the_origin_across_sites_and_carries_the_policy(string path)
    {
        using var http = app.Anonymous();

        var response = await http.GetAsync(path);

        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("strict-origin-when-cross-origin", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        Assert.StartsWith("default-src 'self'", Assert.Single(response.Headers.GetValues("Content-Security-Policy")));
        // Development: a browser would remember HSTS for localhost.
        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
    }

    [GeneratedRegex("'nonce-([^']+)'")]
    private static partial Regex NonceIn();
}
