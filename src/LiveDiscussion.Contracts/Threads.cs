namespace LiveDiscussion.Contracts;

public enum ThreadState
{
    Open,
    Closed,
}

public enum ReplyState
{
    Visible,
    Deleted,
    Hidden,

    /// <summary>Held for a moderator's approval: seen only by its author and moderators.</summary>
    Pending,

    /// <summary>Not approved by a moderator: seen only by its author (with the reason) and moderators.</summary>
    Rejected,
}

public sealed record AuthorDto(string Name, string? UserId);

public sealed record ThreadSummaryDto(
    long Id,
    string Title,
    string Slug,
    AuthorDto Author,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastActivityAt,
    int ReplyCount,
    ThreadState State,
    bool IsPinned)
{
    /// <summary>Categories and tags the thread carries (from a WordPress import), categories first.</summary>
    public IReadOnlyList<LabelDto> Labels { get; init; } = [];
}

public sealed record ThreadDetailDto(
    long Id,
    string Title,
    string Slug,
    AuthorDto Author,
    string Body,
    string BodyHtml,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastActivityAt,
    ThreadState State,
    string? CloseReason,
    bool IsPinned,
    long LatestSeq,
    int ReplyCount,
    IReadOnlyList<ReplyDto> Replies)
{
    /// <summary>Categories and tags the thread carries (from a WordPress import), categories first.</summary>
    public IReadOnlyList<LabelDto> Labels { get; init; } = [];

    /// <summary>Pages elsewhere that link to this thread (WordPress pingbacks and trackbacks), oldest first.</summary>
    public IReadOnlyList<LinkedFromDto> LinkedFrom { get; init; } = [];

    /// <summary>
    /// True when <see cref="Replies"/> holds only the first part of the tree: the rest comes from
    /// <c>GET /api/threads/{id}/replies?after=</c><see cref="NextRepliesAfter"/>.
    /// </summary>
    public bool HasMoreReplies { get; init; }

    /// <summary>The last reply of <see cref="Replies"/> when more follow: the <c>after</c> of the next page.</summary>
    public long? NextRepliesAfter { get; init; }

    /// <summary>
    /// Slow mode: the seconds a person waits between two replies in this thread (moderators excepted); 0 when off.
    /// </summary>
    public int SlowModeSeconds { get; init; }

    /// <summary>When slow mode ends by itself; null while it is off or lasts until a moderator turns it off.</summary>
    public DateTimeOffset? SlowModeUntil { get; init; }
}

/// <summary>
/// A page of a thread's replies in tree order; <see cref="NextAfter"/> is the <c>after</c> of the next page, null at the
/// end of the tree.
/// </summary>
public sealed record RepliesPageDto(long ThreadId, IReadOnlyList<ReplyDto> Replies, bool HasMore, long? NextAfter);

/// <summary>A category or tag; <see cref="Kind"/> is <c>category</c> or <c>tag</c>.</summary>
public sealed record LabelDto(string Name, string Kind);

/// <summary>
/// A page that links to the thread: <see cref="Title"/> is the linking page's (or blog's) name, <see cref="Kind"/>
/// <c>pingback</c> or <c>trackback</c>.
/// </summary>
public sealed record LinkedFromDto(long Id, string Title, string Url, string Excerpt, DateTimeOffset At, string Kind);

/// <summary>
/// One reply. <see cref="Body"/> is the author's source text and is empty unless the reply is visible;
/// <see cref="HiddenReason"/> is the moderator's reason when it is hidden.
/// </summary>
public sealed record ReplyDto(
    long Id,
    long ThreadId,
    long? ParentReplyId,
    AuthorDto Author,
    bool IsByThreadAuthor,
    string Body,
    string BodyHtml,
    DateTimeOffset CreatedAt,
    DateTimeOffset? EditedAt,
    ReplyState State,
    string? HiddenReason = null)
{
    /// <summary>
    /// The author's edit of this published reply that waits for a moderator: everyone else still reads
    /// <see cref="Body"/>. Only its author and moderators are told; null for everyone else and when none waits.
    /// </summary>
    public PendingEditDto? PendingEdit { get; init; }

    /// <summary>
    /// The author's last edit, which a moderator did not approve (the public text stayed), until their next edit. Only
    /// its author and moderators are told.
    /// </summary>
    public RejectedEditDto? RejectedEdit { get; init; }
}

/// <summary>An edit of a published reply, waiting for a moderator: its text, safe HTML, and when it was made.</summary>
public sealed record PendingEditDto(string Body, string BodyHtml, DateTimeOffset ProposedAt);

/// <summary>An edit a moderator turned down, when, and the reason they gave the author (null: none given).</summary>
public sealed record RejectedEditDto(DateTimeOffset RejectedAt, string? Reason);

public sealed record CreateThreadRequest(string? Title, string? Body);

public sealed record PostReplyRequest(long ThreadId, long? ParentReplyId, string? Body, string? ClientRequestId = null);

/// <summary>The JSON API body of <c>POST /api/threads/{id}/replies</c>; the thread comes from the route.</summary>
public sealed record NewReplyRequest(long? ParentReplyId, string? Body, string? ClientRequestId = null);

public sealed record EditReplyRequest(string? Body);

public sealed record CloseThreadRequest(string? Reason);

/// <summary>
/// <c>PUT /api/threads/{id}/slow-mode</c>: at most one reply per person every <see cref="Seconds"/> (0 turns it off),
/// ending by itself after <see cref="ForMinutes"/> when given.
/// </summary>
public sealed record SlowModeRequest(int Seconds, int? ForMinutes = null);

public sealed record HideReplyRequest(string? Reason);

public sealed record RejectReplyRequest(string? Reason);

/// <summary>The moderation settings of the whole site or of one thread.</summary>
public sealed record ApprovalSettingsDto(bool HoldNewMembersReplies);

/// <summary>Whether every reply of one person waits for approval.</summary>
public sealed record HoldRepliesRequest(bool HoldAllReplies);

/// <summary>
/// A reply waiting for a moderator, with where it would appear and why it waits (<see cref="HeldReason"/>, e.g. "new
/// members' replies need approval" or "held: 3 links from a new member"; null for replies held before reasons were kept).
/// An edit of a published reply waits here too: its <see cref="ReplyDto.PendingEdit"/> is the proposed text, its
/// <see cref="ReplyDto.Body"/> the text everyone reads meanwhile, and its reason begins "an edit of a published reply".
/// </summary>
public sealed record HeldReplyDto(
    ReplyDto Reply, string ThreadTitle, string ThreadSlug, string? ParentAuthorName, string? HeldReason = null);

/// <summary>Without <see cref="Until"/> the suspension lasts until a moderator lifts it.</summary>
public sealed record SuspendUserRequest(DateTimeOffset? Until, string? Reason);

public sealed record AuditEntryDto(
    long Id, DateTimeOffset At, string Actor, string Action, long? ThreadId, long? ReplyId, string? TargetUserId, string? Reason);
