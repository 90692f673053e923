using System.Collections.Concurrent;
using System.Text.Encodings.Web;
using LiveDiscussion.Contracts;
using ThreadState = LiveDiscussion.Contracts.ThreadState;

namespace LiveDiscussion.LoadTest.Baseline;

/// <summary>
/// The bare hub's only state: a seq and reply-id counter per thread, in memory. Any thread id is accepted, so the
/// baseline never refuses a load the real server would take.
/// </summary>
public sealed class BaselineThreads
{
    private static readonly AuthorDto Author = new("baseline", null);

    private readonly ConcurrentDictionary<long, StrongBox> _latestSeq = new();
    private long _lastThreadId;
    private long _lastReplyId;

    public long NewThreadId() => Interlocked.Increment(ref _lastThreadId);

    public long LatestSeq(long threadId) => _latestSeq.TryGetValue(threadId, out var box) ? Interlocked.Read(ref box.Value) : 0;

    /// <summary>The event a reply would publish on the real server, with a body and rendered HTML of the same size.</summary>
    public ThreadEventDto AppendReply(long threadId, NewReplyRequest request, string body)
    {
        var seq = Interlocked.Increment(ref _latestSeq.GetOrAdd(threadId, _ => new StrongBox()).Value);
        var now = DateTimeOffset.UtcNow;
        var reply = new ReplyDto(
            Interlocked.Increment(ref _lastReplyId), threadId, request.ParentReplyId, Author, IsByThreadAuthor: false,
            body, $"<p>{HtmlEncoder.Default.Encode(body)}</p>", now, EditedAt: null, ReplyState.Visible);
        return new ThreadEventDto(threadId, seq, ThreadEventTypes.ReplyPosted, now, reply);
    }

    public static ThreadDetailDto NewThread(long id, CreateThreadRequest request)
    {
        var now = DateTimeOffset.UtcNow;
        var body = request.Body ?? "";
        return new ThreadDetailDto(
            id, request.Title ?? "Load test", $"load-test-{id}", Author, body, $"<p>{HtmlEncoder.Default.Encode(body)}</p>",
            now, now, ThreadState.Open, CloseReason: null, IsPinned: false, LatestSeq: 0, ReplyCount: 0, Replies: []);
    }

    // A class, not a long in the dictionary, so Interlocked can increment it in place.
    private sealed class StrongBox
    {
        public long Value;
    }
}
