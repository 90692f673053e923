namespace LiveDiscussion.Web.Realtime;

/// <summary>Adds up each node's count of a thread's viewers into the number everyone is shown.</summary>
public interface IViewerCounts
{
    /// <summary>Records this node's count for a thread and returns the count across all nodes.</summary>
    Task<int> ReportAsync(long threadId, int localCount);

    /// <summary>
    /// Re-asserts this node's counts (so they do not expire) and returns the totals across all nodes of the threads this
    /// node has viewers on, after dropping the counts of nodes that stopped re-asserting theirs.
    /// </summary>
    Task<IReadOnlyList<(long ThreadId, int Total)>> RefreshAsync(IReadOnlyDictionary<long, int> localCounts);
}

public sealed class InProcessViewerCounts : IViewerCounts
{
    public Task<int> ReportAsync(long threadId, int localCount) => Task.FromResult(localCount);

    public Task<IReadOnlyList<(long ThreadId, int Total)>> RefreshAsync(IReadOnlyDictionary<long, int> localCounts) =>
        Task.FromResult<IReadOnlyList<(long, int)>>([]);
}
