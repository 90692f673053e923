using System.Security.Claims;
using LiveDiscussion.Contracts;
using LiveDiscussion.Web.Data;
using LiveDiscussion.Web.Features.Accounts;
using LiveDiscussion.Web.Features.Threads;
using LiveDiscussion.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LiveDiscussion.Web.Features.Moderation;

/// <summary>Which replies wait for approval: new members' site-wide or per thread, and everyone's of one person.</summary>
public sealed class ApprovalSettingsService(IDbContextFactory<DiscussionDbContext> dbFactory, TimeProvider clock)
{
    public async Task<ApprovalSettingsDto> GetSiteAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return new ApprovalSettingsDto(await db.SiteSettings.AnyAsync(s => s.Id == SiteSettings.SingletonId && s.HoldNewMembersReplies, ct));
    }

    public Task SetSiteAsync(ClaimsPrincipal user, ApprovalSettingsDto settings, CancellationToken ct = default) =>
        ChangeAsync(user, ct, async (db, moderator) =>
        {
            var row = await db.SiteSettings.SingleOrDefaultAsync(s => s.Id == SiteSettings.SingletonId, ct);
            if (row is null)
            {
                row = new SiteSettings();
                db.SiteSettings.Add(row);
            }

            row.HoldNewMembersReplies = settings.HoldNewMembersReplies;
            AuditEntry.Record(db, moderator, AuditActions.ChangeApprovalSettings, clock.GetUtcNow(),
                reason: $"site: hold new members' replies {(settings.HoldNewMembersReplies ? "on" : "off")}");
        });

    public Task SetThreadAsync(ClaimsPrincipal user, long threadId, ApprovalSettingsDto settings, CancellationToken ct = default) =>
        ChangeAsync(user, ct, async (db, moderator) =>
        {
            var thread = await db.Threads.SingleOrDefaultAsync(t => t.Id == threadId, ct) ?? throw ThreadProblems.NotFound();
            thread.HoldNewMembersReplies = settings.HoldNewMembersReplies;
            AuditEntry.Record(db, moderator, AuditActions.ChangeApprovalSettings, clock.GetUtcNow(), threadId: threadId,
                reason: $"thread: hold new members' replies {(settings.HoldNewMembersReplies ? "on" : "off")}");
        });

    public Task HoldUserAsync(ClaimsPrincipal user, string targetUserId, bool holdAll, CancellationToken ct = default) =>
        ChangeAsync(user, ct, async (db, moderator) =>
        {
            var target = await db.Users.SingleOrDefaultAsync(u => u.Id == targetUserId, ct)
                ?? throw DiscussionProblem.NotFound("User not found");
            target.HoldAllReplies = holdAll;
            AuditEntry.Record(db, moderator, AuditActions.HoldUserReplies, clock.GetUtcNow(), targetUserId: target.Id,
                reason: holdAll ? "every reply waits for approval" : "replies publish directly");
        });

    private Task ChangeAsync(ClaimsPrincipal user, CancellationToken ct, Func<DiscussionDbContext, Actor, Task> change) =>
        SqliteBusyRetry.RunAsync(() => ChangeAttemptAsync(user, ct, change), clock, ct);

    private async Task ChangeAttemptAsync(ClaimsPrincipal user, CancellationToken ct, Func<DiscussionDbContext, Actor, Task> change)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var moderator = await Actor.RequireModeratorAsync(db, user, "change moderation settings", clock, ct);

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await change(db, moderator);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
    }
}
