using System.Collections.Immutable;
using LiveDiscussion.Contracts;
using Microsoft.AspNetCore.SignalR;

namespace LiveDiscussion.Web.Realtime;

/// <summary>
/// Hands what this node hears to the people connected to it: every message from the node bus (this node's own included)
/// reaches the services that keep state from it (they subscribe here), then this node's Blazor circuits (through
/// <see cref="NodeFeed"/>) and this node's hub connections (through their groups). Each node delivers to its own people
/// only, so a kind of news is published once, on the bus, and this is the one place that fans it out.
/// <para>
/// Hub groups are those of this process alone (no SignalR backplane): a node whose Redis is away still takes hub
/// connections and delivers to them what it stores, exactly as it does to its pages.
/// </para>
/// </summary>
public sealed class NodeDispatcher(
    NodeFeed pages, IHubContext<DiscussionHub, IDiscussionClient> hub, NodeIdentity node, ILogger<NodeDispatcher> logger)
{
    private ImmutableList<Action<NodeMessage>> _subscribers = [];

    /// <summary>
    /// Calls <paramref name="onMessage"/> for every message of that kind this node hears, before its viewers hear it,
    /// so what the subscriber keeps is current when they ask.
    /// </summary>
    public void Subscribe<TMessage>(Action<TMessage> onMessage) where TMessage : NodeMessage =>
        ImmutableInterlocked.Update(ref _subscribers, list => list.Add(message =>
        {
            if (message is TMessage typed)
            {
                onMessage(typed);
            }
        }));

    /// <summary>A message from the node bus.</summary>
    public Task ReceiveAsync(NodeMessage message)
    {
        foreach (var subscriber in _subscribers)
        {
            try
            {
                subscriber(message);
            }
            catch (Exception exception)
            {
                logger.LogError(exception, "A subscriber failed to take a {Message}", message.GetType().Name);
            }
        }

        return message switch
        {
            ThreadEventNews news => DeliverAsync(news.Event),
            ViewersNews news => DeliverAsync(news.Viewers),
            ThreadListNews news => DeliverAsync(news.Summary),
            ModerationQueueNews => pages.DeliverModerationQueueChangedAsync(),
            SignInChanged news => pages.DeliverAsync(news),
            // This node's own link, when it comes back, is told to its viewers by the node itself, once.
            LinkRestored restored when restored.NodeId != node.Id => DeliverAsync(new LiveStatusDto(Paused: false)),
            _ => Task.CompletedTask,
        };
    }

    private Task DeliverAsync(ThreadEventDto threadEvent) => Guarded("a thread event",
        () => pages.DeliverAsync(threadEvent), () => ToThread(threadEvent.ThreadId).ThreadEvent(threadEvent));

    private Task DeliverAsync(ViewersChangedDto viewers) => Guarded("a viewer count",
        () => pages.DeliverAsync(viewers), () => ToThread(viewers.ThreadId).ViewersChanged(viewers));

    /// <summary>Who is typing in a thread, as this node's typing tracker works it out from every node's signals.</summary>
    public Task DeliverAsync(TypingChangedDto typing) => Guarded("who is typing",
        () => pages.DeliverAsync(typing), () => ToThread(typing.ThreadId).TypingChanged(typing));

    private Task DeliverAsync(ThreadSummaryDto summary) => Guarded("a thread list change",
        () => pages.DeliverAsync(summary), () => hub.Clients.Group(HubGroups.ThreadList).ThreadListChanged(summary));

    /// <summary>Tells this node's pages and hub clients whether live updates flow; with <c>false</c>, to catch up.</summary>
    public Task DeliverAsync(LiveStatusDto status) => Guarded("the live status",
        () => pages.DeliverAsync(status), () => hub.Clients.All.LiveStatusChanged(status));

    private IDiscussionClient ToThread(long threadId) => hub.Clients.Group(HubGroups.Thread(threadId));

    // Pages only queue the news (NodeFeed renders it on its own thread); the hub writes it to each connection's buffer
    // and is not waited for: a hub client that reads slowly, its buffer full, holds only its own writes, which wait in
    // order behind each other, and never the writer or the news of the other viewers. A failure is logged, never thrown:
    // the change is stored, and whoever missed it catches up by seq.
    private Task Guarded(string what, Func<Task> toPages, Func<Task> toHubClients)
    {
        _ = Guarded(what, "hub clients", toHubClients);
        return Guarded(what, "pages", toPages);
    }

    private async Task Guarded(string what, string whom, Func<Task> deliver)
    {
        try
        {
            await deliver();
        }
        catch (Exception exception)
        {
            logger.LogWarning(exception, "Delivering {What} to this node's {Whom} failed", what, whom);
        }
    }
}
