namespace LiveDiscussion.Web.Realtime;

/// <summary>
/// Whether this node's live updates flow. With Redis, they pause while the node cannot reach it: changes are still
/// stored, and viewers are told to catch up by seq when the link is back.
/// </summary>
public interface ILiveLink
{
    bool IsLive { get; }
}

/// <summary>One node in one process: nothing between the writer and the viewers can fail.</summary>
public sealed class InProcessLiveLink : ILiveLink
{
    public bool IsLive => true;
}
