using System.Security.Claims;
using LiveDiscussion.Contracts;
using LiveDiscussion.Web.Data;
using LiveDiscussion.Web.Features.Accounts;
using LiveDiscussion.Web.Features.Content;
using LiveDiscussion.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LiveDiscussion.Web.Features.Moderation;

/// <summary>Suspends people from writing, for a while or until further notice, and lifts suspensions.</summary>
public sealed class SuspensionService(IDbContextFactory<DiscussionDbContext> dbFactory, TimeProvider clock)
{
    public async Task SuspendAsync(
        ClaimsPrincipal user, string targetUserId, DateTimeOffset? until, string? reason, CancellationToken ct = default)
    {
        var trimmedReason = TextRules.Optional(reason, "reason", "A reason", Limits.ReasonMaxLength);
        var now = clock.GetUtcNow();
        if (until is { } end && end <= now)
        {
            throw DiscussionProblem.Invalid("until", "A suspension has to end in the future; leave 'until' out for an indefinite one.");
        }

        await ChangeAsync(user, targetUserId, "suspend", AuditActions.SuspendUser, trimmedReason, ct, target =>
        {
            target.SuspendedUntil = until ?? DateTimeOffset.MaxValue;
            target.SuspensionReason = trimmedReason;
        });
    }

    public Task LiftAsync(ClaimsPrincipal user, string targetUserId, CancellationToken ct = default) =>
        ChangeAsync(user, targetUserId, "lift suspensions of", AuditActions.LiftSuspension, reason: null, ct, target =>
        {
            if (target.SuspendedUntil is null || target.SuspendedUntil <= clock.GetUtcNow())
            {
                throw DiscussionProblem.Conflict("This person is not suspended.");
            }

            target.SuspendedUntil = null;
            target.SuspensionReason = null;
        });

    private Task ChangeAsync(
        ClaimsPrincipal user, string targetUserId, string verb, string auditAction, string? reason, CancellationToken ct,
        Action<AppUser> change) =>
        SqliteBusyRetry.RunAsync(() => ChangeAttemptAsync(user, targetUserId, verb, auditAction, reason, ct, change), clock, ct);

    private async Task ChangeAttemptAsync(
        ClaimsPrincipal user, string targetUserId, string verb, string auditAction, string? reason, CancellationToken ct,
        Action<AppUser> change)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var moderator = await Actor.RequireModeratorAsync(db, user, $"{verb} people", clock, ct);

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var target = await db.Users.SingleOrDefaultAsync(u => u.Id == targetUserId, ct)
            ?? throw DiscussionProblem.NotFound("User not found");
        if (target.Id == moderator.UserId)
        {
            throw DiscussionProblem.Invalid("userId", "You cannot suspend yourself.");
        }

        change(target);
        AuditEntry.Record(db, moderator, auditAction, clock.GetUtcNow(), targetUserId: target.Id, reason: reason);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
    }
}
