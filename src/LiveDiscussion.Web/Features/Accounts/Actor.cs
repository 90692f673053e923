using System.Security.Claims;
using LiveDiscussion.Web.Data;
using LiveDiscussion.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LiveDiscussion.Web.Features.Accounts;

/// <summary>
/// The signed-in person behind a request, read from the database on every call rather than from the claims in their
/// cookie or token, so that a changed role or display name counts from the next action on.
/// </summary>
public sealed record Actor(
    string UserId, string DisplayName, bool IsModerator, DateTimeOffset? SuspendedUntil = null, string? SuspensionReason = null,
    bool IsAdmin = false, bool HoldAllReplies = false, DateTimeOffset AccountCreatedAt = default)
{
    public static async Task<Actor?> FindAsync(DiscussionDbContext db, ClaimsPrincipal principal, CancellationToken ct)
    {
        if (SignedInUserId(principal) is not { } userId)
        {
            return null;
        }

        return (await ByUserId(db, userId, ct))?.ToActor(userId);
    }

    /// <summary>The account a request is signed in as, from its claims alone: whether it may act is read later.</summary>
    public static string? SignedInUserId(ClaimsPrincipal principal) =>
        principal.Identity?.IsAuthenticated == true ? principal.FindFirstValue(ClaimTypes.NameIdentifier) : null;

    /// <summary>
    /// Several people on one context: the reply writer reads the authors of a whole batch inside its transaction, each
    /// once. An account that no longer exists is absent from the answer.
    /// </summary>
    /// <remarks>
    /// One query per person rather than one <c>IN (…)</c> for all: EF Core looks up the SQL of a compiled query over a
    /// list by the list's length on every run, and in a profile of one-author batches that takes twice the CPU.
    /// </remarks>
    public static async Task<Dictionary<string, Actor>> FindAllAsync(
        DiscussionDbContext db, IReadOnlyCollection<string> userIds, CancellationToken ct)
    {
        var actors = new Dictionary<string, Actor>(userIds.Count);
        foreach (var userId in userIds)
        {
            if (await ByUserId(db, userId, ct) is { } user)
            {
                actors[userId] = user.ToActor(userId);
            }
        }

        return actors;
    }

    // Compiled once: every write and most reads start here, and an uncompiled query with subqueries over the context
    // costs a lambda compilation per call.
    private static readonly Func<DiscussionDbContext, string, CancellationToken, Task<ActorRow?>> ByUserId =
        CompiledPerModel.Query((DiscussionDbContext db, string userId, CancellationToken ct) => db.Users.AsNoTracking()
            .Where(u => u.Id == userId)
            .Select(u => new ActorRow(
                u.DisplayName,
                u.SuspendedUntil,
                u.SuspensionReason,
                u.HoldAllReplies,
                u.CreatedAt,
                db.UserRoles.Any(ur => ur.UserId == u.Id && db.Roles.Any(r =>
                    r.Id == ur.RoleId && (r.Name == Roles.Moderator || r.Name == Roles.Admin))),
                db.UserRoles.Any(ur => ur.UserId == u.Id && db.Roles.Any(r => r.Id == ur.RoleId && r.Name == Roles.Admin))))
            .SingleOrDefault());

    private sealed record ActorRow(
        string DisplayName, DateTimeOffset? SuspendedUntil, string? SuspensionReason, bool HoldAllReplies,
        DateTimeOffset CreatedAt, bool IsModerator, bool IsAdmin)
    {
        public Actor ToActor(string userId) =>
            new(userId, DisplayName, IsModerator, SuspendedUntil, SuspensionReason, IsAdmin, HoldAllReplies, CreatedAt);
    }

    /// <summary>
    /// The person about to write. A suspension counts from the moment it is stored, on every connection they already
    /// have open, because this is read from the database on every call.
    /// </summary>
    public static async Task<Actor> RequireAsync(
        DiscussionDbContext db, ClaimsPrincipal principal, string signInMessage, TimeProvider clock, CancellationToken ct) =>
        RequireActive(await FindAsync(db, principal, ct), signInMessage, clock);

    /// <summary>The person found, unless there is none (<paramref name="signInMessage"/>) or they are suspended now.</summary>
    public static Actor RequireActive(Actor? actor, string signInMessage, TimeProvider clock)
    {
        if (actor is null)
        {
            throw DiscussionProblem.SignInRequired(signInMessage);
        }

        if (actor.SuspendedUntil is { } until && until > clock.GetUtcNow())
        {
            throw DiscussionProblem.Forbidden(SuspensionMessage(until, actor.SuspensionReason));
        }

        return actor;
    }

    /// <summary>What a suspended person is told, wherever they try to write.</summary>
    public static string SuspensionMessage(DateTimeOffset until, string? reason)
    {
        var when = until == DateTimeOffset.MaxValue
            ? "until further notice"
            : $"until {until.UtcDateTime.ToString("d MMMM yyyy HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture)}";
        return $"Your account is suspended {when}{(reason is { } given ? $": {given}" : ".")} You can still read.";
    }

    /// <summary>An admin about to act: "Sign in to {what}." for nobody, "Only admins can {what}." for anyone else.</summary>
    public static async Task<Actor> RequireAdminAsync(
        DiscussionDbContext db, ClaimsPrincipal principal, string what, TimeProvider clock, CancellationToken ct)
    {
        var actor = await RequireAsync(db, principal, $"Sign in to {what}.", clock, ct);
        return actor.IsAdmin ? actor : throw DiscussionProblem.Forbidden($"Only admins can {what}.");
    }

    /// <summary>A moderator about to act: "Sign in to {what}." for nobody, "Only moderators can {what}." for anyone else.</summary>
    public static async Task<Actor> RequireModeratorAsync(
        DiscussionDbContext db, ClaimsPrincipal principal, string what, TimeProvider clock, CancellationToken ct)
    {
        var actor = await RequireAsync(db, principal, $"Sign in to {what}.", clock, ct);
        return actor.IsModerator ? actor : throw DiscussionProblem.Forbidden($"Only moderators can {what}.");
    }
}
