using Microsoft.AspNetCore.Identity;

namespace LiveDiscussion.Web.Features.Accounts;

public sealed class AppUser : IdentityUser
{
    public string DisplayName { get; set; } = "";

    /// <summary>
    /// When the account was made: younger than <c>RateLimits:NewMemberAccountAge</c> (a day), its owner is a new member
    /// (NewMembers). Accounts from before this was recorded read as the earliest time, so they count as old.
    /// </summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>While set and in the future, the person can read but not write; <see cref="DateTimeOffset.MaxValue"/> means indefinitely.</summary>
    public DateTimeOffset? SuspendedUntil { get; set; }

    public string? SuspensionReason { get; set; }

    /// <summary>Every reply of this person waits for a moderator's approval.</summary>
    public bool HoldAllReplies { get; set; }
}

public static class Roles
{
    public const string Admin = "Admin";
    public const string Moderator = "Moderator";
    public const string Member = "Member";

    public static readonly string[] All = [Admin, Moderator, Member];
}
