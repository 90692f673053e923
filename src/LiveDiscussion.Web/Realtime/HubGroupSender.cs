using LiveDiscussion.Contracts;
using Microsoft.AspNetCore.SignalR;

namespace LiveDiscussion.Web.Realtime;

/// <summary>
/// The one way to send to hub groups. While this node's link to the other nodes is down nothing could reach a group
/// (with Redis, group sends go through it), so nothing is sent: the change is stored, and clients catch up by seq when
/// they hear the link is back.
/// </summary>
public sealed class HubGroupSender(IHubContext<DiscussionHub, IDiscussionClient> hub, ILiveLink link)
{
    public Task ToThreadAsync(long threadId, Func<IDiscussionClient, Task> send) =>
        link.IsLive ? send(hub.Clients.Group(HubGroups.Thread(threadId))) : Task.CompletedTask;

    public Task ToThreadListAsync(Func<IDiscussionClient, Task> send) =>
        link.IsLive ? send(hub.Clients.Group(HubGroups.ThreadList)) : Task.CompletedTask;
}
