using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using LiveDiscussion.Contracts;

namespace LiveDiscussion.LoadTest.Client;

/// <summary>The few JSON API calls a scenario makes: sign in, start a thread, post a reply, close and reopen a thread.</summary>
public sealed class DiscussionApi(HttpClient http)
{
    public string? AccessToken { get; private set; }

    public async Task SignInAsync(string email, string password, CancellationToken ct)
    {
        AccessToken = await LogInAsync(email, password, ct);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AccessToken);
    }

    /// <summary>A bearer token for another account, leaving this client's own sign-in as it is.</summary>
    public async Task<string> LogInAsync(string email, string password, CancellationToken ct)
    {
        using var response = await http.PostAsJsonAsync(
            "api/auth/login?useCookies=false", new { email, password }, WireJson.Options, ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new LoadRunException(
                $"Signing in as {email} failed: {await DescribeAsync(response, ct)}. Check --email and --password.");
        }

        var token = await response.Content.ReadFromJsonAsync<AccessTokenResponse>(WireJson.Options, ct);
        return token?.AccessToken
            ?? throw new LoadRunException("The sign-in answer held no accessToken; is /api/auth Identity's bearer-token login?");
    }

    /// <summary>Registers a new account through Identity's <c>/api/auth/register</c>.</summary>
    public async Task RegisterAsync(string email, string password, CancellationToken ct)
    {
        using var response = await http.PostAsJsonAsync("api/auth/register", new { email, password }, WireJson.Options, ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new LoadRunException($"Registering {email} failed: {await DescribeAsync(response, ct)}.");
        }
    }

    /// <summary>The thread's latest seq from its event log, or null when the node has no event log to ask (the bare hub).</summary>
    public async Task<long?> LatestSeqAsync(long threadId, long after, CancellationToken ct)
    {
        using var response = await http.GetAsync($"api/threads/{threadId}/events?after={after}", ct);
        if (!response.IsSuccessStatusCode)
        {
            return null;
        }

        var catchUp = await response.Content.ReadFromJsonAsync<ThreadCatchUp>(WireJson.Options, ct);
        return catchUp?.LatestSeq;
    }

    public async Task<long> StartThreadAsync(string title, string body, CancellationToken ct) =>
        (await StartThreadWithSlugAsync(title, body, ct)).Id;

    /// <summary>Starts a thread and returns its id and slug: the thread page is <c>/t/{id}/{slug}</c>.</summary>
    public async Task<(long Id, string Slug)> StartThreadWithSlugAsync(string title, string body, CancellationToken ct)
    {
        using var response = await http.PostAsJsonAsync("api/threads", new CreateThreadRequest(title, body), WireJson.Options, ct);
        if (!response.IsSuccessStatusCode)
        {
            var hint = AccessToken is null ? " Starting a thread needs an account: pass --email and --password." : "";
            throw new LoadRunException($"Starting a thread failed: {await DescribeAsync(response, ct)}.{hint}");
        }

        var thread = await response.Content.ReadFromJsonAsync<CreatedThread>(WireJson.Options, ct);
        return thread?.Id is > 0
            ? (thread.Id, thread.Slug ?? "")
            : throw new LoadRunException("Starting a thread returned no thread id.");
    }

    /// <summary>Posts one reply; returns null on success or what went wrong.</summary>
    public async Task<string?> PostReplyAsync(long threadId, NewReplyRequest request, CancellationToken ct)
    {
        using var response = await http.PostAsJsonAsync($"api/threads/{threadId}/replies", request, WireJson.Options, ct);
        return response.IsSuccessStatusCode ? null : await DescribeAsync(response, ct);
    }

    /// <summary>Closes a thread to new replies (moderators); returns null on success or what went wrong.</summary>
    public async Task<string?> CloseThreadAsync(long threadId, string reason, CancellationToken ct)
    {
        using var response = await http.PostAsJsonAsync(
            $"api/threads/{threadId}/close", new CloseThreadRequest(reason), WireJson.Options, ct);
        return response.IsSuccessStatusCode ? null : await DescribeAsync(response, ct);
    }

    /// <summary>Reopens a closed thread (moderators); returns null on success or what went wrong.</summary>
    public async Task<string?> ReopenThreadAsync(long threadId, CancellationToken ct)
    {
        using var response = await http.PostAsync($"api/threads/{threadId}/reopen", content: null, ct);
        return response.IsSuccessStatusCode ? null : await DescribeAsync(response, ct);
    }

    /// <summary>Status and the ProblemDetails detail (or title), so a refusal reads as the server worded it.</summary>
    private static async Task<string> DescribeAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var status = $"{(int)response.StatusCode} {response.ReasonPhrase}";
        try
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            using var problem = JsonDocument.Parse(text);
            foreach (var field in new[] { "detail", "title" })
            {
                if (problem.RootElement.TryGetProperty(field, out var value) && value.GetString() is { Length: > 0 } message)
                {
                    return $"{status}: {message}";
                }
            }
        }
        catch (JsonException)
        {
            // Not ProblemDetails: the status alone has to do.
        }

        return status;
    }

    private sealed record AccessTokenResponse(string? AccessToken);

    private sealed record CreatedThread(long Id, string? Slug);
}
