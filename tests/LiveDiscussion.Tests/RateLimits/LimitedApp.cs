using LiveDiscussion.TestSupport;

namespace LiveDiscussion.Tests.RateLimits;

/// <summary>
/// The app with the posting limits on and windows of seconds instead of minutes, so a test reaches a limit in a few
/// posts and never waits long. Accounts from one address are not limited here: the per-address limits have their own
/// app (<see cref="AddressLimitsTests"/>). A new member is one with no published reply (account age does not count).
/// </summary>
public sealed class LimitedApp() : TestApp(seedDemo: false, settings: Settings)
{
    public const int NewMemberReplies = 2;
    public const int MemberReplies = 4;
    public const int WindowSeconds = 5;
    public const int HubCalls = 8;
    public static readonly TimeSpan RepeatRefusalDelay = TimeSpan.FromMilliseconds(600);

    public static readonly Dictionary<string, string?> Settings = new()
    {
        ["RateLimits:Enabled"] = "true",
        ["RateLimits:NewMemberAccountAge"] = "00:00:00",
        ["RateLimits:NewMemberApprovedReplies"] = "1",
        ["RateLimits:StandingLifetime"] = "00:00:00",
        ["RateLimits:NewMemberReplies:PermitLimit"] = $"{NewMemberReplies}",
        ["RateLimits:NewMemberReplies:Window"] = $"00:00:0{WindowSeconds}",
        ["RateLimits:MemberReplies:PermitLimit"] = $"{MemberReplies}",
        ["RateLimits:MemberReplies:Window"] = $"00:00:0{WindowSeconds}",
        ["RateLimits:NewMemberThreads:PermitLimit"] = "1",
        ["RateLimits:NewMemberThreads:Window"] = "00:01:00",
        ["RateLimits:RepeatRefusalDelay"] = RepeatRefusalDelay.ToString(),
        ["RateLimits:HubCalls:PermitLimit"] = $"{HubCalls}",
        ["RateLimits:HubCalls:Window"] = "00:00:10",
        ["RateLimits:Registrations:PermitLimit"] = "10000",
        ["RateLimits:SignIns:PermitLimit"] = "10000",
        ["RateLimits:Connections:PermitLimit"] = "10000",
    };
}
