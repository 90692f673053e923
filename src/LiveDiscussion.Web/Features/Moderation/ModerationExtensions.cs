using LiveDiscussion.Contracts;
using LiveDiscussion.Web.Features.Replies;

namespace LiveDiscussion.Web.Features.Moderation;

public static class ModerationExtensions
{
    public static void AddModeration(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<NewMemberOptions>().Bind(builder.Configuration.GetSection(NewMemberOptions.Section))
            .Validate(options => options.IsValid(),
                "RateLimits:NewMemberAccountAge and RateLimits:NewMemberApprovedReplies must be 0 or more.")
            .ValidateOnStart();
        builder.Services.AddSingleton<NewMembers>();
        builder.Services.AddSingleton<SuspensionService>();
        builder.Services.AddSingleton<ApprovalSettingsService>();
        builder.Services.AddSingleton<AuditLogService>();
        builder.Services.AddSingleton<HoldRules>();
    }

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

        users.MapPut("/{id}/hold", async (string id, HoldRepliesRequest request, HttpContext http, ApprovalSettingsService service) =>
            {
                await service.HoldUserAsync(http.User, id, request.HoldAllReplies, http.RequestAborted);
                return TypedResults.NoContent();
            })
            .WithSummary("Hold every reply of one person for approval, or stop (moderators)");

        var moderation = app.MapGroup("/api/moderation").WithTags("Moderation");

        moderation.MapGet("/queue", (HttpContext http, ReplyService replies) => replies.HeldAsync(http.User, http.RequestAborted))
            .WithSummary("Replies, and edits of published replies, waiting for approval, oldest first (moderators)");

        moderation.MapGet("/audit", (string? action, string? actor, long? threadId, HttpContext http, AuditLogService audit) =>
                audit.SearchAsync(http.User, new AuditFilter(action, actor, threadId), http.RequestAborted))
            .WithSummary("The newest 200 moderator actions, filtered (admins)");

        moderation.MapGet("/settings", (ApprovalSettingsService service, CancellationToken ct) => service.GetSiteAsync(ct))
            .WithSummary("Site-wide approval settings");

        moderation.MapPut("/settings", async (ApprovalSettingsDto settings, HttpContext http, ApprovalSettingsService service) =>
            {
                await service.SetSiteAsync(http.User, settings, http.RequestAborted);
                return TypedResults.NoContent();
            })
            .WithSummary("Hold new members' replies for approval everywhere, or stop (moderators)");

        app.MapPut("/api/threads/{id:long}/moderation", async (long id, ApprovalSettingsDto settings, HttpContext http, ApprovalSettingsService service) =>
            {
                await service.SetThreadAsync(http.User, id, settings, http.RequestAborted);
                return TypedResults.NoContent();
            })
            .WithTags("Moderation").WithSummary("Hold new members' replies for approval in one thread, or stop (moderators)");

        var replies = app.MapGroup("/api/replies").WithTags("Moderation");

        replies.MapPost("/{id:long}/approve", async (long id, HttpContext http, ReplyService service) =>
            {
                await service.ApproveAsync(http.User, id, http.RequestAborted);
                return TypedResults.NoContent();
            })
            .WithSummary("Publish a held reply, or apply an edit of a published reply that waits (moderators)");

        replies.MapPost("/{id:long}/reject", async (long id, RejectReplyRequest? request, HttpContext http, ReplyService service) =>
            {
                await service.RejectAsync(http.User, id, request?.Reason, http.RequestAborted);
                return TypedResults.NoContent();
            })
            .WithSummary("Turn a held reply or a waiting edit down, telling its author why (moderators)");
    }
}
