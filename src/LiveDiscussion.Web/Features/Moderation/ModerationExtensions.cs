using LiveDiscussion.Contracts;

namespace LiveDiscussion.Web.Features.Moderation;

public static class ModerationExtensions
{
    public static void AddModeration(this WebApplicationBuilder builder) =>
        builder.Services.AddSingleton<SuspensionService>();

    public static void MapModeration(this WebApplication app)
    {
        var users = app.MapGroup("/api/users").WithTags("Moderation");

        users.MapPost("/{id}/suspend", async (string id, SuspendUserRequest request, HttpContext http, SuspensionService service) =>
            {
                await service.SuspendAsync(http.User, id, request.Until, request.Reason, http.RequestAborted);
                return TypedResults.NoContent();
            })
            .WithSummary("Suspend someone from writing until a time, or indefinitely without one (moderators)");

        users.MapPost("/{id}/unsuspend", async (string id, HttpContext http, SuspensionService service) =>
            {
                await service.LiftAsync(http.User, id, http.RequestAborted);
                return TypedResults.NoContent();
            })
            .WithSummary("Lift a suspension (moderators)");
    }
}
