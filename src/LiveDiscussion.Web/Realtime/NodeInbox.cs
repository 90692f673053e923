using LiveDiscussion.Contracts;
using LiveDiscussion.Web.Features.Events;

namespace LiveDiscussion.Web.Realtime;

/// <summary>Hands each message from the node bus to the part of this node that acts on it.</summary>
public sealed class NodeInbox(
    NodeFeed feed, TypingTracker typing, PresenceTracker presence, ThreadEventLog events, NodeIdentity node,
    ILiveLink link, LocalHubConnections hubConnections)
{
    public Task ReceiveAsync(NodeMessage message)
    {
        switch (message)
        {
            case ThreadEventNews news:
                events.Remember(news.Event);
                return feed.DeliverAsync(news.Event);
            case TypingSignal signal:
                typing.Apply(signal);
                return Task.CompletedTask;
            case ViewersNews news:
                presence.RecordTotal(news.Viewers);
                return feed.DeliverAsync(news.Viewers);
            case ThreadListNews news:
                return feed.DeliverAsync(news.Summary);
            case ModerationQueueNews:
                return feed.DeliverModerationQueueChangedAsync();
            case LinkRestored restored when restored.NodeId != node.Id && link.IsLive:
                // This node's own outage, if it has one, ends with its own resume.
                return TellViewersAsync(new LiveStatusDto(Paused: false));
            default:
                return Task.CompletedTask;
        }
    }

    /// <summary>Tells this node's pages and hub clients whether live updates flow; with <c>false</c>, to catch up.</summary>
    public Task TellViewersAsync(LiveStatusDto status) =>
        Task.WhenAll(feed.DeliverAsync(status), hubConnections.TellAsync(status));
}
