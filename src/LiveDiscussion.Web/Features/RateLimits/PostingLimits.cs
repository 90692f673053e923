using System.Collections.Concurrent;
using LiveDiscussion.Contracts;
using LiveDiscussion.Web.Data;
using LiveDiscussion.Web.Features.Accounts;
using LiveDiscussion.Web.Features.Moderation;
using LiveDiscussion.Web.Features.Replies;
using LiveDiscussion.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LiveDiscussion.Web.Features.RateLimits;

/// <summary>
/// How fast a person may post: new members (<see cref="NewMembers"/>) 3 replies a minute and 1 thread per 10 minutes, other members 10 replies a minute, moderators without limit (all from <c>RateLimits:*</c>). The
/// reply and thread services ask it before they render or queue anything, so the pages, the API and the hub are held
/// to the same limits. Counted in this node's memory: a person spread over several nodes gets each node's allowance.
/// </summary>
public sealed class PostingLimits(
    IDbContextFactory<DiscussionDbContext> dbFactory, IOptions<RateLimitOptions> options, NewMembers newMembers, TimeProvider clock)
{
    private readonly RateLimitOptions _options = options.Value;
    private readonly SlidingWindows _windows = new(clock);
    private readonly ConcurrentDictionary<string, (Standing Standing, DateTimeOffset ReadAt)> _standings = new();

    public bool Enabled => _options.Enabled;

    private enum Standing
    {
        Moderator,
        NewMember,
        Member,
    }

    /// <summary>Takes one reply from the person's allowance, or refuses with 429 and when to try again.</summary>
    public ValueTask CheckReplyAsync(string userId, CancellationToken ct) => CheckAsync(userId, thread: false, ct);

    /// <summary>Takes one new thread from the person's allowance, or refuses with 429 and when to try again.</summary>
    public ValueTask CheckThreadAsync(string userId, CancellationToken ct) => CheckAsync(userId, thread: true, ct);

    private async ValueTask CheckAsync(string userId, bool thread, CancellationToken ct)
    {
        if (!_options.Enabled)
        {
            return;
        }

        var standing = await StandingOfAsync(userId, ct);
        if (standing == Standing.Moderator)
        {
            return;
        }

        var isNew = standing == Standing.NewMember;
        var (limit, reason) = (thread, isNew) switch
        {
            (false, true) => (_options.NewMemberReplies, $"New members can post {_options.NewMemberReplies.Describe("reply", "replies")}."),
            (false, false) => (_options.MemberReplies, $"You can post {_options.MemberReplies.Describe("reply", "replies")}."),
            (true, true) => (_options.NewMemberThreads, $"New members can start {_options.NewMemberThreads.Describe("thread", "threads")}."),
            (true, false) => (_options.MemberThreads, $"You can start {_options.MemberThreads.Describe("thread", "threads")}."),
        };
        if (_windows.TryAcquire($"{(thread ? "thread" : "reply")}:{userId}", limit) is { } wait)
        {
            throw DiscussionProblem.TooManyRequests(reason, wait);
        }
    }

    private async ValueTask<Standing> StandingOfAsync(string userId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (_standings.TryGetValue(userId, out var known) && now - known.ReadAt < _options.StandingLifetime)
        {
            return known.Standing;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // Nobody found: the write refuses it with its own words; here it counts as new.
        var row = await StandingRowOf(db, userId, newMembers.PublishedRepliesNeeded);
        var standing = row switch
        {
            { IsModerator: true } => Standing.Moderator,
            null => Standing.NewMember,
            _ when newMembers.IsNew(row.CreatedAt, row.PublishedReplies, now) => Standing.NewMember,
            _ => Standing.Member,
        };
        if (_standings.Count > 100_000)
        {
            _standings.Clear();
        }

        _standings[userId] = (standing, now);
        return standing;
    }

    private sealed record StandingRow(DateTimeOffset CreatedAt, bool IsModerator, int PublishedReplies);

    // Published replies are counted only up to the threshold: a prolific member costs no more than a new one.
    private static readonly Func<DiscussionDbContext, string, int, Task<StandingRow?>> StandingRowOf = EF.CompileAsyncQuery(
        (DiscussionDbContext db, string userId, int threshold) => db.Users.AsNoTracking()
            .Where(u => u.Id == userId)
            .Select(u => new StandingRow(
                u.CreatedAt,
                db.UserRoles.Any(ur => ur.UserId == u.Id && db.Roles.Any(r =>
                    r.Id == ur.RoleId && (r.Name == Roles.Moderator || r.Name == Roles.Admin))),
                db.Replies.Where(r => r.AuthorId == u.Id && r.State == ReplyState.Visible).Take(threshold).Count()))
            .SingleOrDefault());
}
