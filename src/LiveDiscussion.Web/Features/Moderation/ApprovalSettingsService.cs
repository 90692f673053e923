using System.Security.Claims;
using LiveDiscussion.Contracts;
using LiveDiscussion.Web.Data;
using LiveDiscussion.Web.Features.Accounts;
using LiveDiscussion.Web.Features.Threads;
using LiveDiscussion.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LiveDiscussion.Web.Features.Moderation;

/// <summary>Which replies wait for approval: new members' site-wide or per thread, and everyone's of one person.</summary>
public sealed class ApprovalSettingsService(IDbContextFactory<DiscussionDbContext> dbFactory, ModeratedWrite write)
{
    public async Task<ApprovalSettingsDto> GetSiteAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return new ApprovalSettingsDto(await db.SiteSettings.AnyAsync(s => s.Id == SiteSettings.SingletonId && s.HoldNewMembersReplies, ct));
    }

    public Task SetSiteAsync(ClaimsPrincipal user, ApprovalSettingsDto settings, CancellationToken ct = default) =>
        write.RunAsync(Moderator(user), async change =>
        {
            var db = change.Db;
            await change.LockKeyAsync(LockScope.SiteSettings, ct: ct);
            var row = await db.SiteSettings.SingleOrDefaultAsync(s => s.Id == SiteSettings.SingletonId, ct);
            if (row is null)
            {
                row = new SiteSettings();
                db.SiteSettings.Add(row);
            }

            row.HoldNewMembersReplies = settings.HoldNewMembersReplies;
            change.Audit(AuditActions.ChangeApprovalSettings,
                reason: $"site: hold new members' replies {(settings.HoldNewMembersReplies ? "on" : "off")}");
        }, ct);

    public Task SetThreadAsync(ClaimsPrincipal user, long threadId, ApprovalSettingsDto settings, CancellationToken ct = default) =>
        write.RunAsync(Moderator(user), async change =>
        {
            var thread = await change.LockThreadAsync(threadId, ct) ?? throw ThreadProblems.NotFound();
            thread.HoldNewMembersReplies = settings.HoldNewMembersReplies;
            change.Audit(AuditActions.ChangeApprovalSettings, threadId: threadId,
                reason: $"thread: hold new members' replies {(settings.HoldNewMembersReplies ? "on" : "off")}");
        }, ct);

    public Task HoldUserAsync(ClaimsPrincipal user, string targetUserId, bool holdAll, CancellationToken ct = default) =>
        write.RunAsync(Moderator(user), async change =>
        {
            // Ranks are read under the staff lock, so a role change on another node cannot slip in between.
            await change.LockKeyAsync(LockScope.Staff, ct: ct);
            var target = await change.Db.Users.SingleOrDefaultAsync(u => u.Id == targetUserId, ct)
                ?? throw DiscussionProblem.NotFound("User not found");
            await Ranks.RequireMayActAgainstAsync(change.Db, change.Actor, target.Id, "hold the replies of", ct);
            target.HoldAllReplies = holdAll;
            change.Audit(AuditActions.HoldUserReplies, targetUserId: target.Id,
                reason: holdAll ? "every reply waits for approval" : "replies publish directly");
        }, ct);

    private static WriteCheck Moderator(ClaimsPrincipal user) => WriteCheck.Moderator(user, "change moderation settings");
}
