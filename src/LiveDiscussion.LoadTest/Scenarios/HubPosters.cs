using LiveDiscussion.Contracts;
using LiveDiscussion.LoadTest.Cli;
using LiveDiscussion.LoadTest.Client;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace LiveDiscussion.LoadTest.Scenarios;

/// <summary>
/// persist's posters on the hub: a connection each, because the server runs one invocation per connection at a time,
/// so posters sharing a connection would queue behind each other in the tool rather than at the server. With
/// <c>--client raw</c> each is the tool's own JSON connection, which costs the tool less CPU per reply than the .NET
/// client (with the .NET client and JSON, the tool's core neared 80 % at 7,000-8,000 replies/s).
/// </summary>
public sealed class HubPosters : IAsyncDisposable
{
    private readonly HubConnection[] _connections;
    private readonly RawJsonWatchConnection[] _rawConnections;

    private HubPosters(HubConnection[] connections, RawJsonWatchConnection[] rawConnections)
    {
        _connections = connections;
        _rawConnections = rawConnections;
    }

    public static async Task<HubPosters> ConnectAsync(
        HubClientFactory factory, WatcherClient client, int posters, CancellationToken ct)
    {
        var posting = client == WatcherClient.Raw
            ? new HubPosters([], [.. Enumerable.Range(0, posters).Select(_ => factory.CreateRawConnection())])
            : new HubPosters([.. Enumerable.Range(0, posters).Select(_ => factory.Create())], []);
        try
        {
            await Task.WhenAll(posting._connections.Select(connection => connection.StartAsync(ct))
                .Concat(posting._rawConnections.Select(connection => connection.StartAsync(ct))));
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
        if (_rawConnections.Length > 0)
        {
            return await _rawConnections[poster].PostReplyAsync(request, ct);
        }

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

        foreach (var connection in _rawConnections)
        {
            await connection.DisposeAsync();
        }
    }
}
