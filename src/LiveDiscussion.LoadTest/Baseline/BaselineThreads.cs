using System.Collections.Concurrent;
using System.Text.Encodings.Web;
using LiveDiscussion.Contracts;
using ThreadState = LiveDiscussion.Contracts.ThreadState;

namespace LiveDiscussion.LoadTest.Baseline;

/// <summary>
/// The bare hub's only state, in memory: per thread a seq counter, the last few hundred events (so a watcher coming back
/// gets what it missed, as from the real server's log) and who is typing. Any thread id is accepted, so the baseline
/// never refuses a load the real server would take.
/// </summary>
public sealed class BaselineThreads
{
    private static readonly AuthorDto Author = new("baseline", null);

    private readonly ConcurrentDictionary<long, ThreadLog> _threads = new();
    private long _lastThreadId;
    private long _lastReplyId;

    public long NewThreadId() => Interlocked.Increment(ref _lastThreadId);

    public long LatestSeq(long threadId) => CatchUp(threadId, long.MaxValue).LatestSeq;

    /// <summary>The events after <paramref name="afterSeq"/>, or truncated when more than the real server would send.</summary>
    public ThreadCatchUp CatchUp(long threadId, long afterSeq)
    {
        if (!_threads.TryGetValue(threadId, out var log))
        {
            return new ThreadCatchUp(threadId, 0, [], Truncated: false);
        }

        lock (log)
        {
            return log.LatestSeq - afterSeq > Limits.CatchUpMaxEvents
                ? new ThreadCatchUp(threadId, log.LatestSeq, [], Truncated: true)
                : new ThreadCatchUp(threadId, log.LatestSeq, [.. log.Recent.Where(e => e.Seq > afterSeq)], Truncated: false);
        }
    }

    public static readonly string BodyRule = $"A reply must have 1 to {Limits.BodyMaxLength:N0} characters.";

    /// <summary>
    /// The trimmed body, or null where the real server would refuse it: a baseline run never carries load the real one
    /// would refuse.
    /// </summary>
    public static string? AcceptableBody(string? body) =>
        body?.Trim() is { Length: > 0 and <= Limits.BodyMaxLength } trimmed ? trimmed : null;

    /// <summary>The event a reply would publish on the real server, with a body and rendered HTML of the same size.</summary>
    public ThreadEventDto AppendReply(long threadId, long? parentReplyId, string body)
    {
        var log = _threads.GetOrAdd(threadId, _ => new ThreadLog());
        var now = DateTimeOffset.UtcNow;
        var reply = new ReplyDto(
            Interlocked.Increment(ref _lastReplyId), threadId, parentReplyId, Author, IsByThreadAuthor: false,
            body, $"<p>{HtmlEncoder.Default.Encode(body)}</p>", now, EditedAt: null, ReplyState.Visible);
        lock (log)
        {
            var threadEvent = new ThreadEventDto(threadId, ++log.LatestSeq, ThreadEventTypes.ReplyPosted, now, reply);
            log.Recent.Add(threadEvent);
            if (log.Recent.Count > 2 * Limits.CatchUpMaxEvents)
            {
                log.Recent.RemoveRange(0, log.Recent.Count - Limits.CatchUpMaxEvents);
            }

            return threadEvent;
        }
    }

    /// <summary>Sets or clears one typist's mark and returns the thread's whole list, as the real hub sends it.</summary>
    public TypingChangedDto Typing(long threadId, string typist, long? parentReplyId, bool isTyping)
    {
        var log = _threads.GetOrAdd(threadId, _ => new ThreadLog());
        lock (log)
        {
            if (isTyping)
            {
                log.Typists[typist] = parentReplyId;
            }
            else
            {
                log.Typists.Remove(typist);
            }

            return new TypingChangedDto(threadId, [.. log.Typists.Select(t => new TypistDto("baseline", t.Value, t.Key))]);
        }
    }

    public static ThreadDetailDto NewThread(long id, CreateThreadRequest request)
    {
        var now = DateTimeOffset.UtcNow;
        var body = request.Body ?? "";
        return new ThreadDetailDto(
            id, request.Title ?? "Load test", $"load-test-{id}", Author, body, $"<p>{HtmlEncoder.Default.Encode(body)}</p>",
            now, now, ThreadState.Open, CloseReason: null, IsPinned: false, LatestSeq: 0, ReplyCount: 0, Replies: []);
    }

    private sealed class ThreadLog
    {
        public readonly List<ThreadEventDto> Recent = [];
        public readonly Dictionary<string, long?> Typists = [];
        public long LatestSeq;
    }
}
