using LiveDiscussion.Contracts;
using LiveDiscussion.Web.Data;
using LiveDiscussion.Web.Features.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LiveDiscussion.Web.Features.Moderation;

/// <summary>
/// Who counts as a new member, the one definition every rule about new members uses: "new members' replies need
/// approval", the link limit (<c>Spam:MaxLinksForNewMembers</c>) and the posting limits. A new member's account is
/// younger than <see cref="NewMemberOptions.NewMemberAccountAge"/> (24 h) or has fewer published replies than
/// <see cref="NewMemberOptions.NewMemberApprovedReplies"/> (3). Both halves matter: a spammer's account gets three
/// harmless replies published within a minute, but not a day of age. Moderators are never new members.
/// </summary>
public sealed class NewMembers(IOptions<NewMemberOptions> options)
{
    private readonly NewMemberOptions _options = options.Value;

    public TimeSpan AccountAgeNeeded => _options.NewMemberAccountAge;

    /// <summary>How many published replies make a member no longer new; a count taken up to this is enough to decide.</summary>
    public int PublishedRepliesNeeded => _options.NewMemberApprovedReplies;

    /// <summary>Whether <paramref name="author"/> is a new member at <paramref name="now"/>: the age first, as it costs no query.</summary>
    public async Task<bool> IsNewAsync(DiscussionDbContext db, Actor author, DateTimeOffset now) =>
        !author.IsModerator
        && (now - author.AccountCreatedAt < AccountAgeNeeded
            || (PublishedRepliesNeeded > 0 && await PublishedRepliesBy(db, author.UserId, PublishedRepliesNeeded) < PublishedRepliesNeeded));

    /// <summary>
    /// Whether a member (not a moderator) whose account was made at <paramref name="accountCreatedAt"/> and who has
    /// <paramref name="publishedReplies"/> published replies (counted up to <see cref="PublishedRepliesNeeded"/>) is new,
    /// for a reader that fetched both in a query of its own.
    /// </summary>
    public bool IsNew(DateTimeOffset accountCreatedAt, int publishedReplies, DateTimeOffset now) =>
        now - accountCreatedAt < AccountAgeNeeded || publishedReplies < PublishedRepliesNeeded;

    // Compiled once: the reply writer asks this inside its transaction. Counted only up to the threshold, so a prolific
    // member's reply costs the writer no more than a newcomer's.
    private static readonly Func<DiscussionDbContext, string, int, Task<int>> PublishedRepliesBy = CompiledPerModel.Query(
        (DiscussionDbContext db, string authorId, int threshold) => db.Replies
            .Where(r => r.AuthorId == authorId && r.State == ReplyState.Visible).Take(threshold).Count());
}

/// <summary>
/// The two settings that define a new member (<see cref="NewMembers"/>) for every rule. They live under
/// <c>RateLimits:*</c> because they shipped there with the posting limits, and those key names are kept; they hold
/// whatever <c>RateLimits:Enabled</c> says, as that switch turns off the limits, not the rules about new members.
/// </summary>
public sealed class NewMemberOptions
{
    public const string Section = "RateLimits";

    /// <summary>An account younger than this is a new member (<c>RateLimits:NewMemberAccountAge</c>).</summary>
    public TimeSpan NewMemberAccountAge { get; set; } = TimeSpan.FromHours(24);

    /// <summary>An account with fewer published replies than this is a new member (<c>RateLimits:NewMemberApprovedReplies</c>).</summary>
    public int NewMemberApprovedReplies { get; set; } = 3;

    public bool IsValid() => NewMemberAccountAge >= TimeSpan.Zero && NewMemberApprovedReplies >= 0;
}
