using LiveDiscussion.Contracts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LiveDiscussion.Web.Features.Reports;

public static class ReportsExtensions
{
    public static void AddReports(this WebApplicationBuilder builder) => builder.Services.AddSingleton<FlagService>();

    public static void MapReports(this WebApplication app)
    {
        app.MapPost("/api/replies/{id:long}/flags",
                async Task<Results<Created<ReplyFlagDto>, Ok<ReplyFlagDto>>> (
                    long id, FlagReplyRequest request, HttpContext http, FlagService service) =>
                {
                    var (flag, created) = await service.FlagAsync(http.User, id, request, http.RequestAborted);
                    return created ? TypedResults.Created((string?)null, flag) : TypedResults.Ok(flag);
                })
            .WithTags("Reports")
            .WithSummary("Report a reply to the moderators (signed in); a repeat returns the first report with 200");

        var flags = app.MapGroup("/api/moderation/flags").WithTags("Reports");

        flags.MapGet("", (HttpContext http, FlagService service) => service.OpenAsync(http.User, http.RequestAborted))
            .WithSummary("Open reports, grouped by reply (moderators)");

        flags.MapDelete("/{replyId:long}", async (long replyId, HttpContext http, FlagService service) =>
            {
                await service.DismissAsync(http.User, replyId, http.RequestAborted);
                return TypedResults.NoContent();
            })
            .WithSummary("Dismiss a reply's open reports, showing it again if they hid it (moderators)");

        flags.MapPost("/{replyId:long}/hide", async (long replyId, HideReplyRequest? request, HttpContext http, FlagService service) =>
            {
                await service.HideAsync(http.User, replyId, request?.Reason, http.RequestAborted);
                return TypedResults.NoContent();
            })
            .WithSummary("Hide a reported reply (or keep hidden one the reports hid) and close its reports (moderators)");
    }
}
