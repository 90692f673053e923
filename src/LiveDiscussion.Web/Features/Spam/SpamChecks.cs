using LiveDiscussion.Web.Data;
using LiveDiscussion.Web.Features.Moderation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LiveDiscussion.Web.Features.Spam;

/// <summary>A new member's reply with more than <c>Spam:MaxLinksForNewMembers</c> links waits: link drops come from fresh accounts.</summary>
public sealed class TooManyLinksCheck(IOptions<SpamOptions> options) : ISpamCheck
{
    public async ValueTask<string?> HoldReasonAsync(SpamCandidate reply) =>
        reply.LinkCount > options.Value.MaxLinksForNewMembers && await reply.IsNewMemberAsync()
            ? HoldReasons.Links(reply.LinkCount)
            : null;
}

/// <summary>
/// The same text in <c>Spam:RepeatedTextThreads</c> threads within <c>Spam:RepeatedTextMinutes</c> waits, whoever posted
/// the copies: a spam wave comes from many fresh accounts as often as from one, so the copies are counted across
/// authors. The copies already published stay up (the queue's reason tells the moderator to look for them); each
/// further copy in another thread is held. Short bodies without links are never counted (<see cref="SpamText.RepeatHash"/>).
/// </summary>
public sealed class RepeatedTextCheck(IOptions<SpamOptions> options) : ISpamCheck
{
    public async ValueTask<string?> HoldReasonAsync(SpamCandidate reply)
    {
        if (reply.BodyHash is not { } hash)
        {
            return null;
        }

        var window = options.Value.RepeatedTextWindow;
        var threads = new HashSet<long> { reply.ThreadId };
        // One indexed query (BodyHash, CreatedAt) in the writer's transaction, so copies stored by any node count.
        await foreach (var threadId in ThreadsWithText(reply.Db, hash, reply.At - window))
        {
            threads.Add(threadId);
        }

        threads.UnionWith(reply.EarlierInBatch.Where(r => r.BodyHash == hash).Select(r => r.ThreadId));
        return threads.Count >= options.Value.RepeatedTextThreads ? HoldReasons.RepeatedText(threads.Count, window) : null;
    }

    private static readonly Func<DiscussionDbContext, long, DateTimeOffset, IAsyncEnumerable<long>> ThreadsWithText =
        CompiledPerModel.Query((DiscussionDbContext db, long hash, DateTimeOffset since) => db.Replies
            .Where(r => r.BodyHash == hash && r.CreatedAt >= since)
            .Select(r => r.ThreadId)
            .Distinct());
}
