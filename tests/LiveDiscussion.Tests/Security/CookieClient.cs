using System.Net;
using System.Net.Http.Json;
using LiveDiscussion.TestSupport;

namespace LiveDiscussion.Tests.Security;

/// <summary>A browser's way of being signed in: the sign-in cookie, which it sends with every request by itself.</summary>
internal static class CookieClient
{
    public static async Task<HttpClient> SignedInWithCookieAsync(this TestApp app, string displayName, CookieContainer? jar = null)
    {
        var user = await app.AccountAsync(displayName);
        var client = new HttpClient(new HttpClientHandler { CookieContainer = jar ?? new CookieContainer() }) { BaseAddress = app.BaseAddress };
        var login = await client.PostAsJsonAsync("/api/auth/login?useCookies=true", new { email = user.Email, password = TestApp.AccountPassword });
        login.EnsureSuccessStatusCode();
        return client;
    }

    public static HttpRequestMessage Reply(long threadId, string body, string? origin, string? forwardedProto = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/threads/{threadId}/replies")
        {
            Content = JsonContent.Create(new { body }),
        };
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        if (forwardedProto is not null)
        {
            request.Headers.Add("X-Forwarded-Proto", forwardedProto);
        }

        return request;
    }
}
