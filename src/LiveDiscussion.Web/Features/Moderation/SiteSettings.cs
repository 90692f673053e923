namespace LiveDiscussion.Web.Features.Moderation;

/// <summary>Site-wide moderation settings: one row, changed by moderators.</summary>
public sealed class SiteSettings
{
    public const int SingletonId = 1;

    /// <summary>A member is new until this many of their replies have been published.</summary>
    public const int NewMemberReplyThreshold = 3;

    public int Id { get; set; } = SingletonId;

    /// <summary>Replies by new members wait for a moderator's approval everywhere.</summary>
    public bool HoldNewMembersReplies { get; set; }
}
