using LiveDiscussion.Web.Data;
using LiveDiscussion.Web.Features.Accounts;

namespace LiveDiscussion.Web.Features.Moderation;

/// <summary>
/// One moderator action: who did what to which thread, reply or person, why, and when. Written in the transaction of
/// the action itself and never changed afterwards: the app has no way to edit or delete these rows.
/// </summary>
public sealed class AuditEntry
{
    public long Id { get; set; }
    public DateTimeOffset At { get; set; }
    public required string ActorId { get; set; }
    public required string ActorName { get; set; }
    public required string Action { get; set; }
    public long? ThreadId { get; set; }
    public long? ReplyId { get; set; }
    public string? TargetUserId { get; set; }
    public string? Reason { get; set; }

    public static void Record(
        DiscussionDbContext db, Actor actor, string action, DateTimeOffset at, long? threadId = null, long? replyId = null,
        string? targetUserId = null, string? reason = null) =>
        db.AuditEntries.Add(new AuditEntry
        {
            At = at,
            ActorId = actor.UserId,
            ActorName = actor.DisplayName,
            Action = action,
            ThreadId = threadId,
            ReplyId = replyId,
            TargetUserId = targetUserId,
            Reason = reason,
        });
}

public static class AuditActions
{
    public const string CloseThread = "close-thread";
    public const string ReopenThread = "reopen-thread";
    public const string HideReply = "hide-reply";
    public const string RestoreReply = "restore-reply";
    public const string DeleteReply = "delete-reply";
    public const string ApproveReply = "approve-reply";
    public const string RejectReply = "reject-reply";
    public const string ApproveEdit = "approve-edit";
    public const string RejectEdit = "reject-edit";
    public const string ChangeApprovalSettings = "change-approval-settings";
    public const string HoldUserReplies = "hold-user-replies";
    public const string SuspendUser = "suspend-user";
    public const string LiftSuspension = "lift-suspension";
    public const string DismissReports = "dismiss-reports";
    public const string SetSlowMode = "set-slow-mode";
    public const string ChangeRoles = "change-roles";
}
