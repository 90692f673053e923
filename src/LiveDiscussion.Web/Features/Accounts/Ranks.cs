using LiveDiscussion.Web.Data;
using LiveDiscussion.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LiveDiscussion.Web.Features.Accounts;

public enum Rank
{
    Member,
    Moderator,
    Admin,
}

/// <summary>
/// Who may act against whom: moderators act against members; only admins act against moderators; nobody but another
/// admin acts against an admin. So a moderator can never lock the site's owners out, and the rule is read where each
/// action is checked, in the action's own transaction.
/// </summary>
public static class Ranks
{
    public static Rank Of(Actor actor) => actor.IsAdmin ? Rank.Admin : actor.IsModerator ? Rank.Moderator : Rank.Member;

    public static Rank Of(IEnumerable<string> roles)
    {
        var list = roles as ICollection<string> ?? roles.ToList();
        return list.Contains(Roles.Admin) ? Rank.Admin : list.Contains(Roles.Moderator) ? Rank.Moderator : Rank.Member;
    }

    public static async Task<List<string>> RolesOfAsync(DiscussionDbContext db, string userId, CancellationToken ct) =>
        await db.UserRoles.Where(ur => ur.UserId == userId)
            .Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name!)
            .ToListAsync(ct);

    /// <summary>
    /// Refuses <paramref name="actor"/> acting against <paramref name="targetUserId"/> above their rank, with a 403 that
    /// names the rule: "Only admins can {what} a moderator." or "Only another admin can {what} an admin."
    /// Acting on oneself (one's own reply) and on nobody (an imported comment) are not acting against anyone.
    /// </summary>
    public static async Task RequireMayActAgainstAsync(
        DiscussionDbContext db, Actor actor, string? targetUserId, string what, CancellationToken ct)
    {
        if (targetUserId is null || targetUserId == actor.UserId || Of(actor) == Rank.Admin)
        {
            return;
        }

        switch (Of(await RolesOfAsync(db, targetUserId, ct)))
        {
            case Rank.Admin:
                throw DiscussionProblem.Forbidden($"Only another admin can {what} an admin.");
            case Rank.Moderator:
                throw DiscussionProblem.Forbidden($"Only admins can {what} a moderator.");
        }
    }
}
