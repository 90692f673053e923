namespace LiveDiscussion.Web.Features.Spam;

/// <summary>The <c>Spam:*</c> configuration keys: the built-in checks that need no outside service.</summary>
public sealed class SpamOptions
{
    public const string Section = "Spam";

    /// <summary>A new member's reply with more links than this waits for a moderator.</summary>
    public int MaxLinksForNewMembers { get; set; } = 2;

    /// <summary>The same text in this many threads (counting the new reply's) within <see cref="RepeatedTextMinutes"/> is held.</summary>
    public int RepeatedTextThreads { get; set; } = 3;

    public int RepeatedTextMinutes { get; set; } = 10;

    /// <summary>A register form sent sooner than this after it was served is refused: people take longer to fill it in.</summary>
    public int RegisterMinFillSeconds { get; set; } = 3;

    public TimeSpan RepeatedTextWindow => TimeSpan.FromMinutes(RepeatedTextMinutes);

    public TimeSpan RegisterMinFillTime => TimeSpan.FromSeconds(RegisterMinFillSeconds);

    public bool IsValid() =>
        MaxLinksForNewMembers >= 0 && RepeatedTextThreads >= 2 && RepeatedTextMinutes >= 1 && RegisterMinFillSeconds >= 0;
}
