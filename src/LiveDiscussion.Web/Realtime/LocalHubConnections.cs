using System.Collections.Concurrent;
using LiveDiscussion.Contracts;
using Microsoft.AspNetCore.SignalR;

namespace LiveDiscussion.Web.Realtime;

/// <summary>The hub connections on this node, so they can be told about the link even while Redis is away.</summary>
public sealed class LocalHubConnections(IHubContext<DiscussionHub, IDiscussionClient> hub, ILogger<LocalHubConnections> logger)
{
    private readonly ConcurrentDictionary<string, byte> _ids = new();

    public void Add(string connectionId) => _ids.TryAdd(connectionId, 0);

    public void Remove(string connectionId) => _ids.TryRemove(connectionId, out _);

    public async Task TellAsync(LiveStatusDto status)
    {
        // One client at a time through Clients.Client: for a connection on this node SignalR writes to it directly,
        // without the backplane, so this works while Redis is down.
        foreach (var id in _ids.Keys)
        {
            try
            {
                await hub.Clients.Client(id).LiveStatusChanged(status);
            }
            catch (Exception exception)
            {
                logger.LogDebug(exception, "Telling hub connection {ConnectionId} about live updates failed", id);
            }
        }
    }
}
