using LiveDiscussion.Web.Data;
using LiveDiscussion.Web.Features.Accounts;
using LiveDiscussion.Web.Features.Moderation;
using LiveDiscussion.Web.Features.Replies;

namespace LiveDiscussion.Web.Features.Spam;

/// <summary>
/// A new reply as the spam checks see it, inside the writer's transaction: <see cref="Db"/> reads under the write lock,
/// and <see cref="EarlierInBatch"/> are the replies of the same transaction staged before it, not in the table yet.
/// </summary>
public sealed class SpamCandidate(
    DiscussionDbContext db, Actor author, long threadId, string body, int linkCount, long? bodyHash, DateTimeOffset at,
    IEnumerable<Reply> earlierInBatch, NewMembers newMembers)
{
    private bool? _isNewMember;

    public DiscussionDbContext Db => db;
    public Actor Author => author;
    public long ThreadId => threadId;
    public string Body => body;
    public int LinkCount => linkCount;
    public long? BodyHash => bodyHash;
    public DateTimeOffset At => at;
    public IEnumerable<Reply> EarlierInBatch => earlierInBatch;

    /// <summary>Whether the author is a new member (<see cref="NewMembers"/>), read once however many rules ask.</summary>
    public async ValueTask<bool> IsNewMemberAsync() => _isNewMember ??= await newMembers.IsNewAsync(db, author, at);
}
