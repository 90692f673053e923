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
/// How fast a person may post: new members (<see cref="NewMembers"/>) 3 replies a minute and 1 thread per 10 minutes,
/// other members 10 replies a minute, moderators without limit (all from <c>RateLimits:*</c>). The reply and thread
/// services ask it before they render or queue anything, so the pages, the API and the hub are held to the same limits.
/// Counted in this node's memory: a person spread over several nodes gets each node's allowance.
/// <para>
/// A person refused who sends again before the time they were told ignores it: <see cref="RefuseRepeatAsync"/> answers
/// such a send before its body is read, and only after a pause, so a client looping on refusals costs the node a timer
/// instead of a request, and the people posting beside it keep their pace.
/// </para>
/// </summary>
public sealed class PostingLimits(
    IDbContextFactory<DiscussionDbContext> dbFactory, IOptions<RateLimitOptions> options, NewMembers newMembers, TimeProvider clock)
{
    private readonly RateLimitOptions _options = options.Value;
    private readonly SlidingWindows _windows = new(clock);
    private readonly ConcurrentDictionary<string, (Standing Standing, DateTimeOffset ReadAt)> _standings = new();
    private readonly ConcurrentDictionary<string, Refusal> _refusals = new();

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
        var key = AllowanceKey(userId, thread);
        if (_windows.TryAcquire(key, limit) is { } wait)
        {
            if (_refusals.Count > 100_000)
            {
                _refusals.Clear();
            }

            _refusals[key] = new Refusal(reason, clock.GetUtcNow() + wait);
            throw DiscussionProblem.TooManyRequests(reason, wait);
        }
    }

    /// <summary>
    /// The refusal for a send that comes while the person is still refused (<paramref name="thread"/>: a new thread,
    /// otherwise a reply), given after <c>RateLimits:RepeatRefusalDelay</c> or when the wait ends if sooner; null when
    /// they are not refused, or no longer are once the pause is over. At most <see cref="MaxPausedPerPerson"/> of one
    /// person's sends pause at a time, so an open flood holds no more than that; the rest are answered at once.
    /// </summary>
    public async ValueTask<DiscussionProblem?> RefuseRepeatAsync(string userId, bool thread, CancellationToken ct)
    {
        if (!_options.Enabled || !_refusals.TryGetValue(AllowanceKey(userId, thread), out var refusal))
        {
            return null;
        }

        var left = refusal.Until - clock.GetUtcNow();
        if (left <= TimeSpan.Zero)
        {
            return null;
        }

        if (Interlocked.Increment(ref refusal.Paused) <= MaxPausedPerPerson)
        {
            try
            {
                await Task.Delay(left < _options.RepeatRefusalDelay ? left : _options.RepeatRefusalDelay, clock, ct);
            }
            finally
            {
                Interlocked.Decrement(ref refusal.Paused);
            }

            left = refusal.Until - clock.GetUtcNow();
        }
        else
        {
            Interlocked.Decrement(ref refusal.Paused);
        }

        return left > TimeSpan.Zero ? DiscussionProblem.TooManyRequests(refusal.Reason, left) : null;
    }

    public const int MaxPausedPerPerson = 256;

    /// <summary>One person's allowance of replies or of threads: its sliding window, and its refusal while it lasts.</summary>
    private static string AllowanceKey(string userId, bool thread) => $"{(thread ? "thread" : "reply")}:{userId}";

    /// <summary>Why a person was refused, until when, and how many of their sends are pausing now.</summary>
    private sealed class Refusal(string reason, DateTimeOffset until)
    {
        public string Reason { get; } = reason;
        public DateTimeOffset Until { get; } = until;
        public int Paused;
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
    private static readonly Func<DiscussionDbContext, string, int, Task<StandingRow?>> StandingRowOf = CompiledPerModel.Query(
        (DiscussionDbContext db, string userId, int threshold) => db.Users.AsNoTracking()
            .Where(u => u.Id == userId)
            .Select(u => new StandingRow(
                u.CreatedAt,
                db.UserRoles.Any(ur => ur.UserId == u.Id && db.Roles.Any(r =>
                    r.Id == ur.RoleId && (r.Name == Roles.Moderator || r.Name == Roles.Admin))),
                db.Replies.Where(r => r.AuthorId == u.Id && r.State == ReplyState.Visible).Take(threshold).Count()))
            .SingleOrDefault());
}
