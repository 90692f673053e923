namespace LiveDiscussion.Web.Features.Threads;

/// <summary>
/// A page elsewhere that links to the thread: a WordPress pingback or trackback. Shown as "linked from", never as a
/// reply, because nobody wrote it here.
/// </summary>
public sealed class ThreadLink
{
    public const int TitleMaxLength = 200;
    public const int UrlMaxLength = 2000;
    public const int ExcerptMaxLength = 1000;

    public long Id { get; set; }
    public long ThreadId { get; set; }

    /// <summary><c>pingback</c> or <c>trackback</c>.</summary>
    public required string Kind { get; set; }
    public required string Title { get; set; }
    public required string Url { get; set; }

    /// <summary>The quoted sentence around the link, as plain text.</summary>
    public required string Excerpt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Site and WordPress comment id, so importing again adds it once.</summary>
    public required string SourceKey { get; set; }
}
