using LiveDiscussion.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace LiveDiscussion.Web.Features.Reports;

/// <summary>
/// One member's report of one reply. A member reports a reply once (unique per reply and reporter), so a repeat
/// changes nothing and a pile-on counts people, not clicks. A report is open until a moderator reviews it: dismissing
/// the reports or hiding the reply.
/// </summary>
public sealed class ReplyFlag
{
    public long Id { get; set; }
    public long ReplyId { get; set; }
    public long ThreadId { get; set; }
    public required string ReporterId { get; set; }
    public required string Reason { get; set; }
    public string? Note { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>This report was the one that brought the reply to the auto-hide threshold, and the reply was hidden then.</summary>
    public bool HidReply { get; set; }

    /// <summary>When a moderator dealt with it; null while it is open.</summary>
    public DateTimeOffset? ReviewedAt { get; set; }

    /// <summary><see cref="Resolutions.Dismissed"/> or <see cref="Resolutions.Hidden"/>, once reviewed.</summary>
    public string? Resolution { get; set; }

    public static class Resolutions
    {
        public const string Dismissed = "dismissed";
        public const string Hidden = "hidden";
    }

    /// <summary>
    /// Closes the reply's open reports inside a moderator's write: a decision on the reply (hide, restore) answers them.
    /// Returns how many were open.
    /// </summary>
    public static async Task<List<ReplyFlag>> ReviewOpenAsync(
        DiscussionDbContext db, long replyId, string resolution, DateTimeOffset at, CancellationToken ct)
    {
        var open = await db.ReplyFlags.Where(f => f.ReplyId == replyId && f.ReviewedAt == null).ToListAsync(ct);
        foreach (var flag in open)
        {
            flag.ReviewedAt = at;
            flag.Resolution = resolution;
        }

        return open;
    }
}
