using System.Security.Claims;
using LiveDiscussion.Contracts;
using LiveDiscussion.Web.Data;
using LiveDiscussion.Web.Features.Accounts;
using LiveDiscussion.Web.Features.Content;
using LiveDiscussion.Web.Features.Moderation;
using LiveDiscussion.Web.Features.Replies;
using LiveDiscussion.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LiveDiscussion.Web.Features.Reports;

/// <summary>
/// Readers' reports of replies: a member reports a reply once; enough distinct members hide it until a moderator
/// reviews it; moderators see the open reports grouped by reply and dismiss them or hide the reply.
/// </summary>
public sealed class FlagService(
    IDbContextFactory<DiscussionDbContext> dbFactory,
    ModeratedWrite write,
    BodyRenderer renderer,
    IConfiguration configuration,
    TimeProvider clock)
{
    public const string AutoHideFlagsKey = "Moderation:AutoHideFlags";
    public const int DefaultAutoHideFlags = 3;
    private const int ListedRepliesMax = 200;

    /// <summary>Distinct members whose open reports hide a reply; 0 turns auto-hiding off.</summary>
    private readonly int _autoHideFlags = configuration.GetValue(AutoHideFlagsKey, DefaultAutoHideFlags);

    /// <summary>
    /// Reports a reply. <c>Created</c> is false when this person had reported it already: their first report is
    /// returned unchanged, whatever this one says.
    /// </summary>
    public async Task<(ReplyFlagDto Flag, bool Created)> FlagAsync(
        ClaimsPrincipal user, long replyId, FlagReplyRequest request, CancellationToken ct = default)
    {
        var reason = RequireReason(request.Reason);
        var note = TextRules.Optional(request.Note, "note", "A note", Limits.FlagNoteMaxLength);
        return await write.RunAsync(WriteCheck.SignedIn(user, "Sign in to report replies."), async change =>
        {
            var reporter = change.Actor;
            var reply = await change.LockReplyAsync(replyId, ct);
            if (reply is null || (ReplyMapping.IsUnpublished(reply.State) && !ReplyMapping.CanSeeUnpublished(reply, reporter)))
            {
                throw DiscussionProblem.NotFound("Reply not found");
            }

            // A repeat is the same report, whatever became of the reply since (the first may have hidden it).
            var earlier = await change.Db.ReplyFlags.AsNoTracking()
                .SingleOrDefaultAsync(f => f.ReplyId == replyId && f.ReporterId == reporter.UserId, ct);
            if (earlier is not null)
            {
                return (ToDto(earlier), false);
            }

            if (reply.State == ReplyState.Deleted)
            {
                throw DiscussionProblem.Conflict("This reply was deleted.");
            }

            if (reply.AuthorId == reporter.UserId)
            {
                throw DiscussionProblem.Forbidden("You cannot report your own reply.");
            }

            if (reply.State != ReplyState.Visible)
            {
                throw DiscussionProblem.Conflict(reply.State == ReplyState.Hidden
                    ? "This reply is already hidden."
                    : "Only a published reply can be reported.");
            }

            var flag = new ReplyFlag
            {
                ReplyId = reply.Id,
                ThreadId = reply.ThreadId,
                ReporterId = reporter.UserId,
                Reason = reason,
                Note = note,
                CreatedAt = clock.GetUtcNow(),
            };
            change.Db.ReplyFlags.Add(flag);

            // Counted under the write lock, so the report that reaches the threshold is exactly one.
            var openBefore = await change.Db.ReplyFlags.CountAsync(f => f.ReplyId == reply.Id && f.ReviewedAt == null, ct);
            if (_autoHideFlags > 0 && openBefore + 1 >= _autoHideFlags)
            {
                reply.State = ReplyState.Hidden;
                reply.HiddenReason = FlagReasons.AutoHiddenReason;
                flag.HidReply = true;
                // No actor: who reported a reply is for moderators only.
                change.Append(reply.Thread!, ThreadEventTypes.ReplyHidden, reply.ToDto(reply.Thread!, renderer),
                    reason: FlagReasons.AutoHiddenReason);
            }

            change.ModerationQueueChanged();
            return (ToDto(flag), true);
        }, ct);
    }

    /// <summary>Replies with open reports, those the reports hid first, then the most reported, then the oldest.</summary>
    public async Task<List<ReportedReplyDto>> OpenAsync(ClaimsPrincipal user, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var moderator = await Actor.RequireModeratorAsync(db, user, "see reports", clock, ct);

        var open = await db.ReplyFlags.AsNoTracking()
            .Where(f => f.ReviewedAt == null)
            .Join(db.Users, f => f.ReporterId, u => u.Id, (f, u) => new { Flag = f, Reporter = u.DisplayName })
            .ToListAsync(ct);
        var replyIds = open.Select(o => o.Flag.ReplyId).Distinct().ToList();
        var replies = await db.Replies.AsNoTracking().Include(r => r.Thread)
            .Where(r => replyIds.Contains(r.Id) && r.State != ReplyState.Deleted)
            .ToDictionaryAsync(r => r.Id, ct);

        return open
            .Where(o => replies.ContainsKey(o.Flag.ReplyId))
            .GroupBy(o => o.Flag.ReplyId)
            .Select(g =>
            {
                var reply = replies[g.Key];
                var reports = g.OrderBy(o => o.Flag.CreatedAt).ThenBy(o => o.Flag.Id).ToList();
                return new ReportedReplyDto(
                    reply.ToDto(reply.Thread!, renderer, moderator),
                    reply.Thread!.Title,
                    reply.Thread.Slug,
                    reports.Count,
                    [.. reports.GroupBy(o => o.Flag.Reason).OrderByDescending(r => r.Count()).ThenBy(r => r.Key)
                        .Select(r => new ReasonCountDto(r.Key, r.Count()))],
                    [.. reports.Select(o => new ReportDto(
                        new AuthorDto(o.Reporter, o.Flag.ReporterId), o.Flag.Reason, o.Flag.Note, o.Flag.CreatedAt))],
                    IsAutoHidden(reply, reports.Select(o => o.Flag)));
            })
            .OrderByDescending(r => r.AutoHidden)
            .ThenByDescending(r => r.Count)
            .ThenBy(r => r.Reports[0].At)
            .Take(ListedRepliesMax)
            .ToList();
    }

    /// <summary>
    /// A moderator finds the reply fine: its open reports are closed, and a reply the reports hid is shown again.
    /// </summary>
    public Task DismissAsync(ClaimsPrincipal user, long replyId, CancellationToken ct = default) =>
        write.RunAsync(WriteCheck.Moderator(user, "review reports"), async change =>
        {
            var reply = await change.LockReplyAsync(replyId, ct)
                ?? throw DiscussionProblem.NotFound("Reply not found");
            var now = clock.GetUtcNow();
            var open = await ReplyFlag.ReviewOpenAsync(change.Db, replyId, ReplyFlag.Resolutions.Dismissed, now, ct);
            if (open.Count == 0)
            {
                throw DiscussionProblem.NotFound("This reply has no open reports.");
            }

            var restore = IsAutoHidden(reply, open);
            change.Audit(AuditActions.DismissReports, now, reply.ThreadId, reply.Id, reply.AuthorId,
                reason: $"{Reports(open.Count)}{(restore ? "; the reply is shown again" : "")}");
            if (restore)
            {
                reply.State = ReplyState.Visible;
                reply.HiddenReason = null;
                var restored = change.Append(reply.Thread!, ThreadEventTypes.ReplyRestored, reply.ToDto(reply.Thread!, renderer),
                    actor: change.Actor.DisplayName);
                change.Audit(AuditActions.RestoreReply, restored.At, reply.ThreadId, reply.Id, reply.AuthorId, "reports dismissed");
            }

            change.ModerationQueueChanged();
        }, ct);

    /// <summary>
    /// A moderator agrees with the reports: the reply is hidden (or, if the reports hid it, stays hidden, with the
    /// moderator's reason when one is given) and its open reports are closed.
    /// </summary>
    public async Task HideAsync(ClaimsPrincipal user, long replyId, string? reason, CancellationToken ct = default)
    {
        var trimmedReason = TextRules.Optional(reason, "reason", "A reason", Limits.ReasonMaxLength);
        await write.RunAsync(WriteCheck.Moderator(user, "hide replies"), async change =>
        {
            var reply = await change.LockReplyAsync(replyId, ct)
                ?? throw DiscussionProblem.NotFound("Reply not found");
            var now = clock.GetUtcNow();
            var open = await ReplyFlag.ReviewOpenAsync(change.Db, replyId, ReplyFlag.Resolutions.Hidden, now, ct);
            var alreadyHidden = reply.State == ReplyState.Hidden && open.Count > 0;
            if (reply.State != ReplyState.Visible && !alreadyHidden)
            {
                throw reply.State == ReplyState.Deleted
                    ? DiscussionProblem.Conflict("This reply was deleted.")
                    : DiscussionProblem.Conflict("Only a visible reply can be hidden.");
            }

            var newReason = alreadyHidden ? trimmedReason ?? reply.HiddenReason : trimmedReason;
            if (!alreadyHidden || newReason != reply.HiddenReason)
            {
                reply.State = ReplyState.Hidden;
                reply.HiddenReason = newReason;
                change.Append(reply.Thread!, ThreadEventTypes.ReplyHidden, reply.ToDto(reply.Thread!, renderer),
                    reason: newReason, actor: change.Actor.DisplayName);
            }

            change.Audit(AuditActions.HideReply, now, reply.ThreadId, reply.Id, reply.AuthorId,
                $"{newReason ?? "no reason given"} ({Reports(open.Count)})");
            change.ModerationQueueChanged();
        }, ct);
    }

    /// <summary>Hidden by its reports and not since by a moderator.</summary>
    private static bool IsAutoHidden(Reply reply, IEnumerable<ReplyFlag> openReports) =>
        reply.State == ReplyState.Hidden && reply.HiddenReason == FlagReasons.AutoHiddenReason && openReports.Any(f => f.HidReply);

    private static string RequireReason(string? reason)
    {
        var trimmed = reason?.Trim().ToLowerInvariant();
        return trimmed is not null && FlagReasons.All.Contains(trimmed)
            ? trimmed
            : throw DiscussionProblem.Invalid("reason", $"Say why you report it: 'reason' is one of {string.Join(", ", FlagReasons.All)}.");
    }

    private static string Reports(int count) => count == 1 ? "1 report" : $"{count} reports";

    private static ReplyFlagDto ToDto(ReplyFlag flag) => new(flag.ReplyId, flag.Reason, flag.Note, flag.CreatedAt, flag.ReviewedAt);
}
