namespace LiveDiscussion.Web.Features.Moderation;

/// <summary>Site-wide moderation settings: one row, changed by moderators.</summary>
public sealed class SiteSettings
{
    public const int SingletonId = 1;

    public int Id { get; set; } = SingletonId;

    /// <summary>Replies by new members (<see cref="NewMembers"/>) wait for a moderator's approval everywhere.</summary>
    public bool HoldNewMembersReplies { get; set; }
}
