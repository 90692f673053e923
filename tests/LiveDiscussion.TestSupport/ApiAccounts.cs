using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace LiveDiscussion.TestSupport;

/// <summary>Accounts through the JSON API, as any client of any node would make them.</summary>
public static class ApiAccounts
{
    public const string MemberPassword = "member-password-1";

    /// <summary>Registers a new member and returns a client carrying their bearer token.</summary>
    public static async Task<HttpClient> MemberAsync(Uri node, string? name = null)
    {
        var email = $"{name ?? "member"}-{Guid.NewGuid():N}@test.example";
        using var anonymous = new HttpClient { BaseAddress = node };
        (await anonymous.PostAsJsonAsync("/api/auth/register", new { email, password = MemberPassword }))
            .EnsureSuccessStatusCode();
        return await SignedInAsync(node, email, MemberPassword);
    }

    public static async Task<HttpClient> SignedInAsync(Uri node, string email, string password)
    {
        var client = new HttpClient { BaseAddress = node };
        var login = await client.PostAsJsonAsync("/api/auth/login?useCookies=false", new { email, password });
        login.EnsureSuccessStatusCode();
        var token = (await login.Content.ReadFromJsonAsync<TokenResponse>())!.AccessToken;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private sealed record TokenResponse(string AccessToken);
}
