using System.Security.Claims;
using LiveDiscussion.Contracts;
using LiveDiscussion.Web.Data;
using LiveDiscussion.Web.Features.Accounts;
using LiveDiscussion.Web.Features.Moderation;
using LiveDiscussion.Web.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace LiveDiscussion.Web.Features.People;

/// <summary>Admins find people and appoint or remove moderators and admins.</summary>
public sealed class PeopleService(IDbContextFactory<DiscussionDbContext> dbFactory, ModeratedWrite write, TimeProvider clock)
{
    public const int PageSize = 25;

    /// <summary>The staff roles this page and <c>PUT /api/users/{id}/roles</c> give and take; Member is everyone's.</summary>
    public static readonly string[] StaffRoles = [Roles.Moderator, Roles.Admin];

    private const string What = "appoint or remove moderators";

    /// <summary>People whose display name or e-mail address contains <paramref name="search"/>, a page at a time.</summary>
    public async Task<PeoplePageDto> SearchAsync(ClaimsPrincipal user, string? search, int page, CancellationToken ct = default)
    {
        if (page < 1)
        {
            throw DiscussionProblem.Invalid("page", "page starts at 1.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await Actor.RequireAdminAsync(db, user, "see people", clock, ct);

        var people = db.Users.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(search))
        {
            // Case is ignored, as people expect of a search box: SQLite's LIKE ignores it, PostgreSQL's ILIKE does. The
            // wildcards they type are taken literally.
            var pattern = "%" + search.Trim().Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";
            people = db is PostgresDiscussionDbContext
                ? people.Where(u => EF.Functions.ILike(u.DisplayName, pattern, "\\") || EF.Functions.ILike(u.Email!, pattern, "\\"))
                : people.Where(u => EF.Functions.Like(u.DisplayName, pattern, "\\") || EF.Functions.Like(u.Email!, pattern, "\\"));
        }

        var total = await people.CountAsync(ct);
        var found = await people.OrderBy(u => u.DisplayName).ThenBy(u => u.Id)
            .Skip((page - 1) * PageSize).Take(PageSize)
            .ToListAsync(ct);
        var ids = found.Select(u => u.Id).ToList();
        var roles = (await db.UserRoles.Where(ur => ids.Contains(ur.UserId))
                .Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => new { ur.UserId, r.Name })
                .ToListAsync(ct))
            .ToLookup(x => x.UserId, x => x.Name!);
        return new PeoplePageDto([.. found.Select(u => ToDto(u, roles[u.Id]))], total, page, PageSize);
    }

    /// <summary>
    /// Gives <paramref name="targetUserId"/> exactly the staff roles named (Moderator, Admin, both or none). Audited, and
    /// the person's open pages on every node check their sign-in at once. The last admin who is not suspended cannot
    /// stop being one.
    /// </summary>
    public async Task<PersonDto> SetRolesAsync(
        ClaimsPrincipal user, string targetUserId, IReadOnlyList<string>? roles, CancellationToken ct = default)
    {
        var wanted = StaffRolesNamed(roles);
        return await write.RunAsync(WriteCheck.Admin(user, What), async change =>
        {
            var db = change.Db;
            // The last-admin rule reads every admin: under the staff lock two admins demoting each other on two nodes
            // take turns, and the second sees the first.
            await change.LockKeyAsync(LockScope.Staff, ct: ct);
            var target = await db.Users.SingleOrDefaultAsync(u => u.Id == targetUserId, ct)
                ?? throw DiscussionProblem.NotFound("User not found");
            var held = await Ranks.RolesOfAsync(db, target.Id, ct);
            if (held.Contains(Roles.Admin) && !wanted.Contains(Roles.Admin) && !await AnotherActiveAdminAsync(db, target.Id, ct))
            {
                throw DiscussionProblem.Conflict(
                    $"{target.DisplayName} is the last admin who is not suspended: appoint another admin before removing this one.");
            }

            var staffHeld = held.Where(StaffRoles.Contains).ToHashSet();
            if (!staffHeld.SetEquals(wanted))
            {
                var roleIds = await db.Roles.Where(r => StaffRoles.Contains(r.Name!)).ToDictionaryAsync(r => r.Name!, r => r.Id, ct);
                foreach (var removed in staffHeld.Except(wanted))
                {
                    db.UserRoles.Remove(await db.UserRoles.SingleAsync(ur => ur.UserId == target.Id && ur.RoleId == roleIds[removed], ct));
                }

                foreach (var added in wanted.Except(staffHeld))
                {
                    db.UserRoles.Add(new IdentityUserRole<string> { UserId = target.Id, RoleId = roleIds[added] });
                }

                change.Audit(AuditActions.ChangeRoles, targetUserId: target.Id,
                    reason: $"{Describe(staffHeld)} → {Describe(wanted)}");
                change.SignInChanged(target.Id);
            }

            return ToDto(target, [.. held.Except(StaffRoles), .. wanted]);
        }, ct);
    }

    /// <summary>The staff roles named, in their canonical spelling; 400 for a name that is no role.</summary>
    private static HashSet<string> StaffRolesNamed(IReadOnlyList<string>? roles)
    {
        if (roles is null)
        {
            throw DiscussionProblem.Invalid("roles", "Give roles: a list of Moderator and Admin, or [] for neither.");
        }

        var wanted = new HashSet<string>();
        foreach (var name in roles)
        {
            var role = Roles.All.FirstOrDefault(r => string.Equals(r, name?.Trim(), StringComparison.OrdinalIgnoreCase))
                ?? throw DiscussionProblem.Invalid("roles", $"'{name}' is not a role: give Moderator, Admin, or both.");
            if (role != Roles.Member)
            {
                wanted.Add(role);
            }
        }

        return wanted;
    }

    private async Task<bool> AnotherActiveAdminAsync(DiscussionDbContext db, string exceptUserId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var adminIds = await db.UserRoles
            .Join(db.Roles.Where(r => r.Name == Roles.Admin), ur => ur.RoleId, r => r.Id, (ur, _) => ur.UserId)
            .Where(id => id != exceptUserId)
            .ToListAsync(ct);
        // Suspension ends are compared here rather than in SQL: they are stored as UTC ticks by a converter.
        var ends = await db.Users.Where(u => adminIds.Contains(u.Id)).Select(u => u.SuspendedUntil).ToListAsync(ct);
        return ends.Any(until => until is null || until <= now);
    }

    private static string Describe(IEnumerable<string> roles) =>
        roles.Order().ToList() is { Count: > 0 } list ? string.Join(", ", list) : "member";

    private PersonDto ToDto(AppUser user, IEnumerable<string> roles)
    {
        var suspended = user.SuspendedUntil is { } until && until > clock.GetUtcNow();
        return new PersonDto(user.Id, user.DisplayName, user.Email, [.. roles.Order()],
            suspended ? user.SuspendedUntil : null, suspended ? user.SuspensionReason : null);
    }
}
