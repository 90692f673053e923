using LiveDiscussion.Contracts;

namespace LiveDiscussion.Web.Features.Threads;

public static class ThreadsExtensions
{
    public static void AddThreads(this WebApplicationBuilder builder) =>
        builder.Services.AddSingleton<ThreadService>();

    public static void MapThreads(this WebApplication app)
    {
        var threads = app.MapGroup("/api/threads").WithTags("Threads");

        threads.MapGet("/", (ThreadService service, CancellationToken ct) => service.ListAsync(ct))
            .WithSummary("Threads, pinned first, then newest activity first");

        threads.MapGet("/{id:long}", (long id, HttpContext http, ThreadService service) =>
                service.GetAsync(id, http.User, http.RequestAborted))
            .WithSummary("A thread with its replies in tree order and its latest seq");

        threads.MapPost("/", async (CreateThreadRequest request, HttpContext http, ThreadService service) =>
            {
                var thread = await service.StartAsync(http.User, request, http.RequestAborted);
                return TypedResults.Created($"/api/threads/{thread.Id}", thread);
            })
            .WithSummary("Start a thread");

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
    }
}
