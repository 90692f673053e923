using System.Net.WebSockets;

namespace LiveDiscussion.LoadTest.Client;

/// <summary>
/// .NET's <see cref="ClientWebSocket"/> under a raw watcher: for WebSockets over HTTP/2, which share connections as
/// streams of the shared handler, and wherever <see cref="EpollWebSocket"/> cannot run. As there, <paramref name="binary"/>
/// sends binary frames and <paramref name="cookie"/> is a <c>Cookie</c> header's value.
/// </summary>
public sealed class ClientWebSocketTransport(
    Uri webSocketUrl, SharedHttp http, string? accessToken, string? cookie = null, bool binary = false) : IRawWebSocket
{
    private readonly ClientWebSocket _socket = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _sending = new(1, 1);

    public async Task ConnectAsync(IRawSocketReceiver receiver, CancellationToken ct)
    {
        http.Prepare(_socket.Options);
        if (accessToken is not null)
        {
            _socket.Options.SetRequestHeader("Authorization", $"Bearer {accessToken}");
        }

        if (cookie is not null)
        {
            _socket.Options.SetRequestHeader("Cookie", cookie);
        }

        await _socket.ConnectAsync(webSocketUrl, http.Invoker, ct);
        _ = ReceiveAllAsync(receiver);
    }

    public async Task SendAsync(ReadOnlyMemory<byte> text, CancellationToken ct)
    {
        await _sending.WaitAsync(ct);
        try
        {
            await _socket.SendAsync(
                text, binary ? WebSocketMessageType.Binary : WebSocketMessageType.Text, endOfMessage: true, ct);
        }
        finally
        {
            _sending.Release();
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _socket.Abort();
        _socket.Dispose();
    }

    private async Task ReceiveAllAsync(IRawSocketReceiver receiver)
    {
        var buffer = new byte[16 * 1024];
        Exception? error = null;
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer.AsMemory(), _stop.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                receiver.OnText(buffer.AsSpan(0, result.Count));
            }
        }
        catch (Exception ex)
        {
            error = ex;
        }

        if (!_stop.IsCancellationRequested)
        {
            receiver.OnClosed(error);
        }
    }
}
