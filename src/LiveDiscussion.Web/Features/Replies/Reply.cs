using LiveDiscussion.Contracts;
using LiveDiscussion.Web.Features.Content;
using LiveDiscussion.Web.Features.Threads;

namespace LiveDiscussion.Web.Features.Replies;

public sealed class Reply : IRenderedBody
{
    public long Id { get; set; }
    public long ThreadId { get; set; }
    public DiscussionThread? Thread { get; set; }
    public long? ParentReplyId { get; set; }

    public string? AuthorId { get; set; }
    public required string AuthorName { get; set; }
    public string? AuthorExternalKey { get; set; }

    public required string Body { get; set; }
    public BodyFormat BodyFormat { get; set; }
    public string? BodyHtml { get; set; }
    public int? BodyHtmlRules { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? EditedAt { get; set; }
    public ReplyState State { get; set; }

    /// <summary>Why a moderator hid it (shown to readers in its place) or did not approve it (shown to its author).</summary>
    public string? HiddenReason { get; set; }

    /// <summary>Why it was held for a moderator (<see cref="Moderation.HoldReasons"/>), shown in the moderation queue.</summary>
    public string? HeldReason { get; set; }

    /// <summary>
    /// A hash of the body's words (<see cref="Spam.SpamText.RepeatHash"/>), so the same text posted in many threads is found
    /// with one indexed query; null for bodies too short to count as a repeat and for replies older than the column.
    /// </summary>
    public long? BodyHash { get; set; }

    /// <summary>
    /// The author's edit of this published reply, when the same text as a new reply would have been held
    /// (<see cref="Moderation.HoldRules"/>): it waits for a moderator while everyone reads <see cref="Body"/>. Null
    /// when no edit waits; the other Proposed* columns are set with it.
    /// </summary>
    public string? ProposedBody { get; set; }

    /// <summary><see cref="ProposedBody"/> rendered, and under which rules (as <see cref="BodyHtml"/>, <see cref="BodyHtmlRules"/>).</summary>
    public string? ProposedBodyHtml { get; set; }

    /// <inheritdoc cref="ProposedBodyHtml"/>
    public int? ProposedBodyHtmlRules { get; set; }

    /// <summary>When the waiting edit was made: its place in the moderation queue.</summary>
    public DateTimeOffset? ProposedAt { get; set; }

    /// <summary>Why the waiting edit was held (<see cref="Moderation.HoldReasons"/>), for the moderation queue.</summary>
    public string? ProposedHeldReason { get; set; }

    /// <summary>
    /// When a moderator turned the author's last edit down, and why (shown to the author alone); cleared by their next
    /// edit.
    /// </summary>
    public DateTimeOffset? EditRejectedAt { get; set; }

    /// <inheritdoc cref="EditRejectedAt"/>
    public string? EditRejectedReason { get; set; }

    /// <summary>Set by a client so that a retried send returns the first reply instead of storing a second.</summary>
    public string? ClientRequestId { get; set; }

    /// <summary>Where an imported reply came from (site and WordPress comment id), so a re-import adds only new ones.</summary>
    public string? SourceKey { get; set; }

    /// <summary>
    /// The e-mail address and IP a blog commenter gave WordPress, kept for moderators (spotting one person behind many
    /// names) and never put in a DTO, an event or a page.
    /// </summary>
    public string? AuthorEmail { get; set; }

    /// <inheritdoc cref="AuthorEmail"/>
    public string? AuthorIp { get; set; }

    /// <summary>Whether an edit of the author waits for a moderator: only a published reply's edit can.</summary>
    public bool HasProposedEdit => State == ReplyState.Visible && ProposedBody is not null;

    /// <summary>Holds <paramref name="body"/> as the author's edit waiting for a moderator, in place of any earlier one.</summary>
    public void ProposeEdit(string body, string html, string heldReason, DateTimeOffset at)
    {
        ProposedBody = body;
        ProposedBodyHtml = html;
        ProposedBodyHtmlRules = Content.BodyRenderer.RulesVersion;
        ProposedAt = at;
        ProposedHeldReason = heldReason;
        EditRejectedAt = null;
        EditRejectedReason = null;
    }

    /// <summary>Forgets the waiting edit, if any (the public text stays as it is).</summary>
    public void DropProposedEdit()
    {
        ProposedBody = null;
        ProposedBodyHtml = null;
        ProposedBodyHtmlRules = null;
        ProposedAt = null;
        ProposedHeldReason = null;
    }
}
