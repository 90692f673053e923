using System.Net.WebSockets;
using LiveDiscussion.Contracts;
using LiveDiscussion.LoadTest.Cli;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Http.Connections.Client;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace LiveDiscussion.LoadTest.Client;

/// <summary>
/// Builds hub connections the way a load test wants them: WebSockets only with negotiation skipped (one round trip
/// fewer per watcher, and no sticky-session question), the chosen wire protocol, and every handshake going through
/// the shared socket handler.
/// </summary>
public sealed class HubClientFactory(SharedHttp http, WireProtocol protocol, string? accessToken)
{
    private readonly Uri _hubUrl = new(http.BaseUrl, DiscussionHubContract.Path.TrimStart('/'));
    private readonly RawJsonWatchConnection.LiveEvents _liveEvents = new();

    /// <summary>A watcher's connection on the client asked for.</summary>
    public IWatchConnection CreateWatchConnection(WatcherClient client) => client == WatcherClient.Raw
        ? CreateRawConnection()
        : new HubWatchConnection(Create());

    /// <summary>The tool's own JSON hub connection (<c>--client raw</c>).</summary>
    public RawJsonWatchConnection CreateRawConnection() => new(OpenRawSocket, _liveEvents);

    /// <summary>
    /// The epoll socket where it can run: HTTP/1.1 on Linux. WebSockets over HTTP/2 are streams of the shared handler's
    /// connections, so they take .NET's client.
    /// </summary>
    private IRawWebSocket OpenRawSocket() => !http.OverHttp2 && OperatingSystem.IsLinux()
        ? new EpollWebSocket(ToWebSocketUri(_hubUrl), accessToken)
        : new ClientWebSocketTransport(ToWebSocketUri(_hubUrl), http, accessToken);

    public HubConnection Create()
    {
        var builder = new HubConnectionBuilder()
            .WithUrl(_hubUrl, HttpTransportType.WebSockets, options =>
            {
                options.SkipNegotiation = true;
                options.WebSocketFactory = ConnectAsync;
            });

        if (protocol == WireProtocol.MessagePack)
        {
            builder.AddMessagePackProtocol();
        }
        else
        {
            builder.AddJsonProtocol(options => WireJson.Configure(options.PayloadSerializerOptions));
        }

        var connection = builder.Build();
        // The server's own keep-alive is 15 s; a loaded loopback test must not drop watchers on a slow ping.
        connection.ServerTimeout = TimeSpan.FromSeconds(60);
        return connection;
    }

    private async ValueTask<WebSocket> ConnectAsync(WebSocketConnectionContext context, CancellationToken ct)
    {
        var socket = new ClientWebSocket();
        http.Prepare(socket.Options);
        if (accessToken is not null)
        {
            // A custom factory bypasses SignalR's own token handling, so the bearer header is ours to add.
            socket.Options.SetRequestHeader("Authorization", $"Bearer {accessToken}");
        }

        try
        {
            await socket.ConnectAsync(ToWebSocketUri(context.Uri), http.Invoker, ct);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static Uri ToWebSocketUri(Uri uri) => uri.Scheme switch
    {
        "http" => new UriBuilder(uri) { Scheme = "ws", Port = uri.Port }.Uri,
        "https" => new UriBuilder(uri) { Scheme = "wss", Port = uri.Port }.Uri,
        _ => uri,
    };
}
