using LiveDiscussion.Contracts;

namespace LiveDiscussion.Web.Features.Threads;

/// <summary>About how many bytes of memory a thread's records hold: strings are UTF-16, plus each record's fields.</summary>
public static class ThreadMemory
{
    private const int RecordOverhead = 256;

    public static long ApproximateBytes(ThreadDetailDto thread) =>
        RecordOverhead + 2L * (thread.Title.Length + thread.Body.Length + thread.BodyHtml.Length)
        + thread.Replies.Sum(reply => RecordOverhead + 2L * (reply.Body.Length + reply.BodyHtml.Length + reply.Author.Name.Length));

    public static long ApproximateBytes(IEnumerable<ThreadSummaryDto> threads) =>
        threads.Sum(thread => RecordOverhead + 2L * (thread.Title.Length + thread.Slug.Length + thread.Author.Name.Length));
}
