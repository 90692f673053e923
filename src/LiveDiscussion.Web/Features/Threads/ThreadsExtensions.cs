using LiveDiscussion.Contracts;
using LiveDiscussion.Web.Features.RateLimits;

namespace LiveDiscussion.Web.Features.Threads;

public static class ThreadsExtensions
{
    public static void AddThreads(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ThreadService>();
        builder.Services.AddSingleton<SharedReplies>();
        // One per circuit: the thread page's live state.
        builder.Services.AddScoped<ThreadSession>();
    }

    public static void MapThreads(this WebApplication app)
    {
        var threads = app.MapGroup("/api/threads").WithTags("Threads");

        threads.MapGet("/", async (int? limit, string? before, HttpContext http, ThreadService service) =>
            {
                var page = await service.ListAsync(limit, before, http.RequestAborted);
                if (page.NextBefore is { } next)
                {
                    LinkToNext(http, $"/api/threads?limit={limit ?? Limits.ThreadListPageDefault}&before={Uri.EscapeDataString(next)}");
                }

                return page.Threads;
            })
            .WithSummary("Threads, pinned first, then newest activity first, a page at a time (Link: rel=\"next\")");

        threads.MapGet("/{id:long}", (long id, HttpContext http, ThreadService service) =>
                service.GetAsync(id, http.User, http.RequestAborted))
            .WithSummary("A thread with its first 500 replies in tree order and its latest seq");

        threads.MapGet("/{id:long}/replies", async (long id, long? after, int? limit, HttpContext http, ThreadService service) =>
            {
                var page = await service.GetRepliesAsync(id, after, limit, http.User, http.RequestAborted);
                if (page.NextAfter is { } next)
                {
                    LinkToNext(http, $"/api/threads/{id}/replies?after={next}&limit={limit ?? Limits.RepliesPageMax}");
                }

                return page;
            })
            .WithSummary("A page of a thread's replies in tree order, after a reply (Link: rel=\"next\")");

        threads.MapPost("/", async (CreateThreadRequest request, HttpContext http, ThreadService service) =>
            {
                var thread = await service.StartAsync(http.User, request, http.RequestAborted);
                return TypedResults.Created($"/api/threads/{thread.Id}", thread);
            })
            .WithSummary("Start a thread")
            .WithMetadata(PostingEndpoint.NewThread);

        threads.MapPost("/{id:long}/close", async (long id, CloseThreadRequest? request, HttpContext http, ThreadService service) =>
            {
                await service.CloseAsync(http.User, id, request?.Reason, http.RequestAborted);
                return TypedResults.NoContent();
            })
            .WithSummary("Close a thread to new replies (moderators)");

        threads.MapPost("/{id:long}/reopen", async (long id, HttpContext http, ThreadService service) =>
            {
                await service.ReopenAsync(http.User, id, http.RequestAborted);
                return TypedResults.NoContent();
            })
            .WithSummary("Reopen a closed thread (moderators)");

        threads.MapPut("/{id:long}/slow-mode", async (long id, SlowModeRequest request, HttpContext http, ThreadService service) =>
            {
                await service.SetSlowModeAsync(http.User, id, request.Seconds, request.ForMinutes, http.RequestAborted);
                return TypedResults.NoContent();
            })
            .WithSummary("Slow mode: one reply per person every N seconds, 0 to turn it off, optionally for M minutes (moderators)");
    }

    private static void LinkToNext(HttpContext http, string pathAndQuery) =>
        http.Response.Headers.Link = $"<{pathAndQuery}>; rel=\"next\"";
}
