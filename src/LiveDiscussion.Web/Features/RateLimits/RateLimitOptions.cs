using System.Globalization;

namespace LiveDiscussion.Web.Features.RateLimits;

/// <summary>
/// <c>RateLimits:*</c>: how fast people may post, and how often one address may register, sign in and connect.
/// <see cref="Enabled"/> false switches every one of them off at once (tests of other features, trusted private sites);
/// slow mode, which moderators set per thread, stays in force either way. Who is a new member is set in this section
/// too (<c>NewMemberAccountAge</c>, <c>NewMemberApprovedReplies</c>) but read by <see cref="Moderation.NewMemberOptions"/>:
/// it is the definition every rule uses, limits on or off.
/// </summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    public bool Enabled { get; set; } = true;

    /// <summary>
    /// How long a person's standing (moderator, new member) is trusted once read, so the limits cost no query per post:
    /// a new role or published reply counts for the limits within this time (for the write itself, at once).
    /// </summary>
    public TimeSpan StandingLifetime { get; set; } = TimeSpan.FromSeconds(30);

    public WindowLimit NewMemberReplies { get; set; } = new(3, TimeSpan.FromMinutes(1));

    public WindowLimit NewMemberThreads { get; set; } = new(1, TimeSpan.FromMinutes(10));

    public WindowLimit MemberReplies { get; set; } = new(10, TimeSpan.FromMinutes(1));

    public WindowLimit MemberThreads { get; set; } = new(5, TimeSpan.FromMinutes(10));

    /// <summary>Per client address: accounts made (the register page and <c>/api/auth/register</c>).</summary>
    public WindowLimit Registrations { get; set; } = new(5, TimeSpan.FromHours(1));

    /// <summary>Per client address: sign-in attempts (the sign-in page and <c>/api/auth/login</c>).</summary>
    public WindowLimit SignIns { get; set; } = new(10, TimeSpan.FromMinutes(1));

    /// <summary>Per client address: hub connections and page circuits opened.</summary>
    public WindowLimit Connections { get; set; } = new(60, TimeSpan.FromMinutes(1));

    /// <summary>
    /// How long a post waits for its refusal when its sender was already refused and has not waited the time they were
    /// told (an honest composer waits; a script looping on 429s does not, and is slowed to this pace).
    /// </summary>
    public TimeSpan RepeatRefusalDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Per hub connection: method calls (moderators excepted), so a flood costs only its own connection.</summary>
    public WindowLimit HubCalls { get; set; } = new(20, TimeSpan.FromSeconds(1));
}

/// <summary>At most <see cref="PermitLimit"/> in any <see cref="Window"/>.</summary>
public sealed class WindowLimit
{
    public WindowLimit()
    {
    }

    public WindowLimit(int permitLimit, TimeSpan window)
    {
        PermitLimit = permitLimit;
        Window = window;
    }

    public int PermitLimit { get; set; }

    public TimeSpan Window { get; set; }

    /// <summary>"3 replies a minute", "1 thread every 10 minutes": the limit as a person reads it.</summary>
    public string Describe(string one, string many) =>
        $"{PermitLimit.ToString(CultureInfo.InvariantCulture)} {(PermitLimit == 1 ? one : many)} {Per(Window)}";

    private static string Per(TimeSpan window) => window switch
    {
        { TotalHours: 1 } => "an hour",
        { TotalMinutes: 1 } => "a minute",
        { TotalSeconds: 1 } => "a second",
        { TotalHours: >= 1 } when window.TotalHours == Math.Floor(window.TotalHours) => $"every {window.TotalHours:0} hours",
        { TotalMinutes: >= 1 } when window.TotalMinutes == Math.Floor(window.TotalMinutes) => $"every {window.TotalMinutes:0} minutes",
        _ => $"every {window.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} seconds",
    };
}
