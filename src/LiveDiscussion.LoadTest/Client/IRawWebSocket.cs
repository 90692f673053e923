namespace LiveDiscussion.LoadTest.Client;

/// <summary>
/// The WebSocket under a <see cref="RawJsonWatchConnection"/>: text goes out whole, and text that arrives is handed to
/// the <see cref="IRawSocketReceiver"/> piece by piece, in order, one piece at a time.
/// </summary>
public interface IRawWebSocket : IDisposable
{
    /// <summary>Opens the WebSocket; from then on what arrives goes to <paramref name="receiver"/>.</summary>
    Task ConnectAsync(IRawSocketReceiver receiver, CancellationToken ct);

    Task SendAsync(ReadOnlyMemory<byte> text, CancellationToken ct);
}

public interface IRawSocketReceiver
{
    /// <summary>Text from the server; a hub message may be split between calls, or several may come in one.</summary>
    void OnText(ReadOnlySpan<byte> text);

    /// <summary>Called once when the socket ends other than by Dispose: <paramref name="error"/> is null for a close by the server.</summary>
    void OnClosed(Exception? error);
}
