namespace LiveDiscussion.Web.Features.Events;

public static class EventsExtensions
{
    public static void AddEvents(this WebApplicationBuilder builder) =>
        builder.Services.AddSingleton<ThreadEventLog>();

    public static void MapEvents(this WebApplication app) =>
        app.MapGet("/api/threads/{id:long}/events",
                (long id, long? after, ThreadEventLog log, CancellationToken ct) => log.GetAfterAsync(id, after ?? 0, ct))
            .WithTags("Threads")
            .WithSummary("The events after a seq, for a viewer catching up");
}
