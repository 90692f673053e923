using System.Globalization;
using LiveDiscussion.Contracts;
using LiveDiscussion.Web.Infrastructure;

namespace LiveDiscussion.Web.Features.Threads;

/// <summary>One page of the thread list, and the cursor of the next one (null on the last page).</summary>
public sealed record ThreadSummaries(List<ThreadSummaryDto> Threads, string? NextBefore);

/// <summary>
/// Where a page of the thread list ends, in the list's own order (pinned first, then last activity, then id), written
/// <c>{pinned 0|1}.{last activity in UTC ticks}.{id}</c>: a thread that moves up between two pages cannot make the next
/// page repeat or skip the others.
/// </summary>
public readonly record struct ThreadListCursor(bool IsPinned, DateTimeOffset LastActivityAt, long Id)
{
    public static string After(ThreadSummaryDto last) =>
        string.Create(CultureInfo.InvariantCulture, $"{(last.IsPinned ? 1 : 0)}.{last.LastActivityAt.UtcTicks}.{last.Id}");

    public static ThreadListCursor Parse(string cursor)
    {
        var parts = cursor.Split('.');
        if (parts.Length == 3
            && parts[0] is "0" or "1"
            && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            && ticks <= DateTimeOffset.MaxValue.UtcTicks
            && long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return new ThreadListCursor(parts[0] == "1", new DateTimeOffset(ticks, TimeSpan.Zero), id);
        }

        throw DiscussionProblem.Invalid("before",
            "before must be a cursor from the previous page's Link header (rel=\"next\"), such as 0.638700000000000000.42.");
    }
}
