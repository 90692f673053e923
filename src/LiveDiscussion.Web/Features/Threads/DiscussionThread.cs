using LiveDiscussion.Contracts;
using LiveDiscussion.Web.Features.Content;
using LiveDiscussion.Web.Features.Replies;

namespace LiveDiscussion.Web.Features.Threads;

public sealed class DiscussionThread : IRenderedBody
{
    public long Id { get; set; }
    public required string Title { get; set; }
    public required string Slug { get; set; }
    public required string Body { get; set; }
    public BodyFormat BodyFormat { get; set; }
    public string? BodyHtml { get; set; }
    public int? BodyHtmlRules { get; set; }

    /// <summary>The author's account, or none for an imported author who has no account here.</summary>
    public string? AuthorId { get; set; }
    public required string AuthorName { get; set; }

    /// <summary>Who wrote it where it came from (e.g. a WordPress user), so their replies carry the author badge.</summary>
    public string? AuthorExternalKey { get; set; }

    /// <summary>Where an imported thread came from, so that importing it again adds nothing.</summary>
    public string? SourceKey { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset LastActivityAt { get; set; }
    public ThreadState State { get; set; }
    public string? CloseReason { get; set; }
    public bool IsPinned { get; set; }

    /// <summary>Replies by new members wait for a moderator's approval in this thread.</summary>
    public bool HoldNewMembersReplies { get; set; }

    /// <summary>Slow mode: a person waits this many seconds between two replies here (moderators excepted); 0: off.</summary>
    public int SlowModeSeconds { get; set; }

    /// <summary>When slow mode ends by itself; null: when a moderator turns it off.</summary>
    public DateTimeOffset? SlowModeUntil { get; set; }

    /// <summary>The seq of the newest event in this thread's event log; the next event gets one more.</summary>
    public long LatestSeq { get; set; }

    public List<Reply> Replies { get; set; } = [];
    public List<ThreadLabel> Labels { get; set; } = [];
    public List<ThreadLink> Links { get; set; } = [];
}
