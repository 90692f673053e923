using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using LiveDiscussion.Contracts;

namespace LiveDiscussion.TestSupport;

/// <summary>Typed calls to the JSON API, as any client of the contract would make them.</summary>
public static class Api
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    public static async Task<T> ReadAsync<T>(this HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {response.StatusCode}: {body}");
        return JsonSerializer.Deserialize<T>(body, Json)!;
    }

    public static async Task<List<ThreadSummaryDto>> ListThreadsAsync(this HttpClient client) =>
        await (await client.GetAsync("/api/threads")).ReadAsync<List<ThreadSummaryDto>>();

    /// <summary>
    /// The ids of the thread list's first page, newest activity first. Taken before and after a refused request on an
    /// app other tests write to as well, they show that it stored no thread.
    /// </summary>
    public static async Task<List<long>> ThreadIdsAsync(this HttpClient client) =>
        [.. (await client.ListThreadsAsync()).Select(t => t.Id)];

    public static async Task<ThreadDetailDto> GetThreadAsync(this HttpClient client, long id) =>
        await (await client.GetAsync($"/api/threads/{id}")).ReadAsync<ThreadDetailDto>();

    public static async Task<ThreadDetailDto> StartThreadAsync(this HttpClient client, string title = "A thread", string body = "Its post.") =>
        await (await client.PostAsJsonAsync("/api/threads", new CreateThreadRequest(title, body), Json)).ReadAsync<ThreadDetailDto>();

    public static Task<HttpResponseMessage> PostReplyAsync(
        this HttpClient client, long threadId, string? body, long? parentReplyId = null, string? clientRequestId = null) =>
        client.PostAsJsonAsync($"/api/threads/{threadId}/replies", new NewReplyRequest(parentReplyId, body, clientRequestId), Json);

    public static async Task<ReplyDto> ReplyAsync(this HttpClient client, long threadId, string body, long? parentReplyId = null) =>
        await (await client.PostReplyAsync(threadId, body, parentReplyId)).ReadAsync<ReplyDto>();

    public static async Task<ThreadCatchUp> EventsAfterAsync(this HttpClient client, long threadId, long after) =>
        await (await client.GetAsync($"/api/threads/{threadId}/events?after={after}")).ReadAsync<ThreadCatchUp>();

    /// <summary>Asserts an RFC 9457 problem with the status and a detail containing <paramref name="detailPart"/>.</summary>
    public static async Task<JsonElement> ShouldBeProblemAsync(
        this HttpResponseMessage response, HttpStatusCode status, string detailPart)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.Contains(detailPart, problem.GetProperty("detail").GetString());
        return problem;
    }
}
