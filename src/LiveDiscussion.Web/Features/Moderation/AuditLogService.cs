using System.Security.Claims;
using LiveDiscussion.Contracts;
using LiveDiscussion.Web.Data;
using LiveDiscussion.Web.Features.Accounts;
using LiveDiscussion.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LiveDiscussion.Web.Features.Moderation;

/// <summary>Reads the audit log for admins. There is deliberately nothing here that changes it.</summary>
public sealed class AuditLogService(IDbContextFactory<DiscussionDbContext> dbFactory, TimeProvider clock)
{
    public const int PageSize = 200;

    /// <summary>The latest decisions on replies and threads, for every moderator's queue page.</summary>
    public async Task<List<AuditEntryDto>> RecentDecisionsAsync(ClaimsPrincipal user, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var reader = await Actor.RequireModeratorAsync(db, user, "see the moderation queue", clock, ct);

        string[] decisions =
        [
            AuditActions.HideReply, AuditActions.RestoreReply, AuditActions.CloseThread, AuditActions.ReopenThread,
            AuditActions.ApproveReply, AuditActions.RejectReply, AuditActions.ApproveEdit, AuditActions.RejectEdit,
            AuditActions.DeleteReply, AuditActions.DismissReports,
        ];
        return await db.AuditEntries.AsNoTracking()
            .Where(a => decisions.Contains(a.Action))
            .OrderByDescending(a => a.Id).Take(20)
            .Select(a => new AuditEntryDto(a.Id, a.At, a.ActorName, a.Action, a.ThreadId, a.ReplyId, a.TargetUserId, a.Reason))
            .ToListAsync(ct);
    }

    public async Task<List<AuditEntryDto>> SearchAsync(ClaimsPrincipal user, AuditFilter filter, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var reader = await Actor.RequireAsync(db, user, "Sign in to read the audit log.", clock, ct);
        if (!reader.IsAdmin)
        {
            throw DiscussionProblem.Forbidden("Only admins can read the audit log.");
        }

        var entries = db.AuditEntries.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(filter.Action))
        {
            entries = entries.Where(a => a.Action == filter.Action);
        }

        if (!string.IsNullOrWhiteSpace(filter.Actor))
        {
            // Case is ignored, as people expect of a search box: SQLite's LIKE ignores it, PostgreSQL's ILIKE does. The
            // wildcards they type are taken literally.
            var pattern = "%" + filter.Actor.Trim().Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";
            entries = db is PostgresDiscussionDbContext
                ? entries.Where(a => EF.Functions.ILike(a.ActorName, pattern, "\\"))
                : entries.Where(a => EF.Functions.Like(a.ActorName, pattern, "\\"));
        }

        if (filter.ThreadId is { } threadId)
        {
            entries = entries.Where(a => a.ThreadId == threadId);
        }

        return await entries.OrderByDescending(a => a.Id).Take(PageSize)
            .Select(a => new AuditEntryDto(a.Id, a.At, a.ActorName, a.Action, a.ThreadId, a.ReplyId, a.TargetUserId, a.Reason))
            .ToListAsync(ct);
    }
}

public sealed record AuditFilter(string? Action = null, string? Actor = null, long? ThreadId = null);
