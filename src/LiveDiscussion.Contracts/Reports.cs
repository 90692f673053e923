namespace LiveDiscussion.Contracts;

/// <summary>Why a reader reports a reply: the values <c>reason</c> takes.</summary>
public static class FlagReasons
{
    public const string Spam = "spam";
    public const string Abuse = "abuse";
    public const string OffTopic = "off-topic";
    public const string Other = "other";

    public static readonly IReadOnlyList<string> All = [Spam, Abuse, OffTopic, Other];

    /// <summary>The public reason of a reply hidden because enough members reported it, until a moderator reviews it.</summary>
    public const string AutoHiddenReason = "Hidden after reports from readers";

    /// <summary>The words a reader picks from.</summary>
    public static string Describe(string reason) => reason switch
    {
        Spam => "Spam",
        Abuse => "Abusive or hateful",
        OffTopic => "Off-topic",
        _ => "Something else",
    };
}

/// <summary>A reader's report of a reply; <see cref="Note"/> is optional.</summary>
public sealed record FlagReplyRequest(string? Reason, string? Note = null);

/// <summary>
/// One person's report of a reply as they made it. A report is open until a moderator dismisses it or hides the reply
/// (<see cref="ReviewedAt"/>).
/// </summary>
public sealed record ReplyFlagDto(long ReplyId, string Reason, string? Note, DateTimeOffset At, DateTimeOffset? ReviewedAt);

/// <summary>One report as moderators see it: who made it, why, when.</summary>
public sealed record ReportDto(AuthorDto Reporter, string Reason, string? Note, DateTimeOffset At);

/// <summary>How many of a reply's open reports give one reason.</summary>
public sealed record ReasonCountDto(string Reason, int Count);

/// <summary>
/// A reply with open reports, for the moderation queue: the reply as moderators see it, its thread, the reports grouped
/// (count, reasons, each report), and whether the reports hid it (<see cref="AutoHidden"/>: hidden until reviewed).
/// </summary>
public sealed record ReportedReplyDto(
    ReplyDto Reply,
    string ThreadTitle,
    string ThreadSlug,
    int Count,
    IReadOnlyList<ReasonCountDto> Reasons,
    IReadOnlyList<ReportDto> Reports,
    bool AutoHidden);
