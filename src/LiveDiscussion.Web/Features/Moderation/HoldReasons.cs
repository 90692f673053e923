namespace LiveDiscussion.Web.Features.Moderation;

/// <summary>
/// Why a reply waits in the moderation queue, in the words moderators read there (<c>heldReason</c>). Its author is
/// told only that it awaits approval: a spammer learns nothing from the queue's reasons.
/// </summary>
public static class HoldReasons
{
    public const string AuthorHeld = "the author's replies are all held";
    public const string NewMember = "new members' replies need approval";
    public const string SentToModerators = "sent to moderators by its author";

    public static string Links(int count) => $"held: {count} links from a new member";

    public static string RepeatedText(int threads, TimeSpan window) =>
        $"held: the same text in {threads} threads within {window.TotalMinutes:0} minutes";

    /// <summary>
    /// An edit of a published reply, held for <paramref name="reason"/> (null: none kept): the queue says it is an edit,
    /// whose public text stays until a moderator approves it.
    /// </summary>
    public static string Edit(string? reason) =>
        reason is null ? EditPrefix : $"{EditPrefix} ({reason})";

    public const string EditPrefix = "an edit of a published reply";
}
