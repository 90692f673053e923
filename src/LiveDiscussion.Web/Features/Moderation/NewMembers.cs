using LiveDiscussion.Contracts;
using LiveDiscussion.Web.Data;
using LiveDiscussion.Web.Features.Accounts;
using Microsoft.EntityFrameworkCore;

namespace LiveDiscussion.Web.Features.Moderation;

/// <summary>
/// Who counts as a new member, the one definition every rule about new members uses ("new members' replies need
/// approval", the link limit): an account under a day old, or one with fewer than three published replies. Both
/// halves matter: a spammer's account gets three harmless replies published within a minute, but not a day of age.
/// Moderators are never new members.
/// </summary>
public static class NewMembers
{
    public const int ApprovedRepliesNeeded = 3;

    public static readonly TimeSpan AccountAgeNeeded = TimeSpan.FromHours(24);

    /// <summary>Whether <paramref name="author"/> is a new member at <paramref name="now"/>: the age first, as it costs no query.</summary>
    public static async Task<bool> IsNewAsync(DiscussionDbContext db, Actor author, DateTimeOffset now) =>
        !author.IsModerator
        && (now - author.AccountCreatedAt < AccountAgeNeeded || await PublishedRepliesBy(db, author.UserId) < ApprovedRepliesNeeded);

    // Compiled once: the reply writer asks this inside its transaction. Counted only up to the threshold, so a prolific
    // member's reply costs the writer no more than a newcomer's.
    private static readonly Func<DiscussionDbContext, string, Task<int>> PublishedRepliesBy = EF.CompileAsyncQuery(
        (DiscussionDbContext db, string authorId) => db.Replies
            .Where(r => r.AuthorId == authorId && r.State == ReplyState.Visible).Take(ApprovedRepliesNeeded).Count());
}
