namespace LiveDiscussion.Web.Features.Spam;

/// <summary>
/// One rule that may hold a new reply for a moderator. The reply writer asks every registered check, in order, inside
/// its transaction (SQLite's write lock, so a check sees every node's replies) and holds the reply with the first reason
/// given. A check therefore answers from the database or memory, quickly: an outside service (an Akismet-like checker)
/// is asked before the transaction, or within a short time limit, never left to hold every node's writes.
/// </summary>
public interface ISpamCheck
{
    /// <summary>Why <paramref name="reply"/> must wait for a moderator, in the queue's words; null to let it through.</summary>
    ValueTask<string?> HoldReasonAsync(SpamCandidate reply);
}
