using LiveDiscussion.Contracts;
using LiveDiscussion.Web.Features.RateLimits;

namespace LiveDiscussion.Web.Features.Replies;

public static class RepliesExtensions
{
    public static void AddReplies(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ReplyGroupCommit>();
        builder.Services.AddSingleton<ReplyService>();
    }

    public static void MapReplies(this WebApplication app)
    {
        app.MapPost("/api/threads/{id:long}/replies", async (long id, NewReplyRequest request, HttpContext http, ReplyService service) =>
            {
                var reply = await service.PostAsync(
                    http.User, new PostReplyRequest(id, request.ParentReplyId, request.Body, request.ClientRequestId),
                    http.RequestAborted);
                return TypedResults.Created($"/api/replies/{reply.Id}", reply);
            })
            .WithTags("Replies").WithSummary("Reply to the thread's post or to one of its replies")
            .WithMetadata(PostingEndpoint.Reply);

        var replies = app.MapGroup("/api/replies").WithTags("Replies");

        replies.MapPut("/{id:long}", (long id, EditReplyRequest request, HttpContext http, ReplyService service) =>
                service.EditAsync(http.User, id, request.Body, http.RequestAborted))
            .WithSummary("Edit one's own reply");

        replies.MapDelete("/{id:long}", async (long id, HttpContext http, ReplyService service) =>
            {
                await service.DeleteAsync(http.User, id, http.RequestAborted);
                return TypedResults.NoContent();
            })
            .WithSummary("Delete one's own reply (moderators: any reply)");

        replies.MapPost("/{id:long}/hide", async (long id, HideReplyRequest? request, HttpContext http, ReplyService service) =>
            {
                await service.HideAsync(http.User, id, request?.Reason, http.RequestAborted);
                return TypedResults.NoContent();
            })
            .WithSummary("Hide a reply from readers, with a reason they see (moderators)");

        replies.MapPost("/{id:long}/restore", async (long id, HttpContext http, ReplyService service) =>
            {
                await service.RestoreAsync(http.User, id, http.RequestAborted);
                return TypedResults.NoContent();
            })
            .WithSummary("Show a hidden reply again (moderators)");
    }
}
