using LiveDiscussion.Contracts;
using LiveDiscussion.LoadTest.Client;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace LiveDiscussion.LoadTest.Scenarios;

/// <summary>
/// persist's posters on the hub: a connection each, because the server runs one invocation per connection at a time,
/// so posters sharing a connection would queue behind each other in the tool rather than at the server.
/// </summary>
public sealed class HubPosters : IAsyncDisposable
{
    private readonly HubConnection[] _connections;

    private HubPosters(HubConnection[] connections) => _connections = connections;

    public static async Task<HubPosters> ConnectAsync(HubClientFactory factory, int posters, CancellationToken ct)
    {
        var connections = Enumerable.Range(0, posters).Select(_ => factory.Create()).ToArray();
        var posting = new HubPosters(connections);
        try
        {
            await Task.WhenAll(connections.Select(connection => connection.StartAsync(ct)));
            return posting;
        }
        catch
        {
            await posting.DisposeAsync();
            throw;
        }
    }

    /// <summary>Null once the server acknowledged the reply (stored), or the hub's refusal.</summary>
    public async Task<string?> PostAsync(int poster, PostReplyRequest request, CancellationToken ct)
    {
        try
        {
            await _connections[poster].InvokeAsync<ReplyDto>(DiscussionHubContract.PostReply, request, ct);
            return null;
        }
        catch (HubException refused)
        {
            return $"the hub refused: {refused.Message}";
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _connections)
        {
            await connection.DisposeAsync();
        }
    }
}
