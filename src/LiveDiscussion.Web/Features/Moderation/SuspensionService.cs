using System.Security.Claims;
using LiveDiscussion.Contracts;
using LiveDiscussion.Web.Data;
using LiveDiscussion.Web.Features.Accounts;
using LiveDiscussion.Web.Features.Content;
using LiveDiscussion.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LiveDiscussion.Web.Features.Moderation;

/// <summary>Suspends people from writing, for a while or until further notice, and lifts suspensions.</summary>
public sealed class SuspensionService(ModeratedWrite write, TimeProvider clock)
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

        await write.RunAsync(WriteCheck.Moderator(user, "suspend people"), async change =>
        {
            var target = await OtherPersonAsync(change, targetUserId, ct);
            // The last admin cannot be suspended either: only another admin, not suspended, may suspend an admin.
            await Ranks.RequireMayActAgainstAsync(change.Db, change.Actor, target.Id, "suspend", ct);
            target.SuspendedUntil = until ?? DateTimeOffset.MaxValue;
            target.SuspensionReason = trimmedReason;
            change.Audit(AuditActions.SuspendUser, targetUserId: target.Id, reason: trimmedReason);
            change.SignInChanged(target.Id);
        }, ct);
    }

    public Task LiftAsync(ClaimsPrincipal user, string targetUserId, CancellationToken ct = default) =>
        write.RunAsync(WriteCheck.Moderator(user, "lift suspensions of people"), async change =>
        {
            var target = await OtherPersonAsync(change, targetUserId, ct);
            await Ranks.RequireMayActAgainstAsync(change.Db, change.Actor, target.Id, "lift the suspension of", ct);
            if (target.SuspendedUntil is null || target.SuspendedUntil <= clock.GetUtcNow())
            {
                throw DiscussionProblem.Conflict("This person is not suspended.");
            }

            target.SuspendedUntil = null;
            target.SuspensionReason = null;
            change.Audit(AuditActions.LiftSuspension, targetUserId: target.Id);
            change.SignInChanged(target.Id);
        }, ct);

    /// <summary>The person a moderator acts on, who is never that moderator.</summary>
    private static async Task<AppUser> OtherPersonAsync(ModeratedChange change, string targetUserId, CancellationToken ct)
    {
        // Ranks and the last active admin are read under the staff lock: a role change or another suspension on another
        // node waits for this one, and then sees it.
        await change.LockKeyAsync(LockScope.Staff, ct: ct);
        var target = await change.Db.Users.SingleOrDefaultAsync(u => u.Id == targetUserId, ct)
            ?? throw DiscussionProblem.NotFound("User not found");
        return target.Id == change.Actor.UserId ? throw DiscussionProblem.Invalid("userId", "You cannot suspend yourself.") : target;
    }
}
