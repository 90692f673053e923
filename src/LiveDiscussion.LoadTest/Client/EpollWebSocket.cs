using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;

namespace LiveDiscussion.LoadTest.Client;

/// <summary>
/// A raw watcher's WebSocket over HTTP/1.1 on Linux, read by the process's one <see cref="EpollLoop"/> thread. What it
/// sends goes out as text frames, or as binary frames with <paramref name="binary"/> (a MessagePack hub protocol such as
/// Blazor's, whose server refuses text that is not UTF-8); <paramref name="cookie"/> is a <c>Cookie</c> header's value.
/// </summary>
/// <remarks>
/// With <see cref="ClientWebSocket"/> each frame costs the tool two <c>recv</c> calls (the second finds nothing and parks
/// the read), an epoll wake-up and a thread-pool hop; at 50,000 frames/s on one core that, not the server, sets
/// fanout's latency (the tool at 90-98 % of its core, most of it in the kernel). Here a frame costs one <c>recv</c>.
/// The upgrade is made with blocking calls on threads kept for it: a socket that ever made an asynchronous call stays
/// registered with .NET's own epoll thread, which every frame would then wake as well.
/// </remarks>
public sealed class EpollWebSocket(Uri webSocketUrl, string? accessToken, string? cookie = null, bool binary = false) : IRawWebSocket
{
    private const int OpContinuation = 0x0, OpText = 0x1, OpBinary = 0x2, OpClose = 0x8, OpPing = 0x9, OpPong = 0xA;
    private static readonly TimeSpan HandshakeLimit = TimeSpan.FromSeconds(15);

    // Upgrades are blocking calls made on a few threads kept for them: enough in flight to keep a server busy, and no
    // thread started per attempt when thousands of watchers knock on a restarting node every second.
    private const int UpgradeThreads = 32;
    private static readonly Lazy<BlockingCollection<Action>> Upgrades = new(StartUpgradeThreads);

    private readonly Lock _gate = new();
    private readonly Lock _sending = new();
    private Socket? _socket;
    private IRawSocketReceiver? _receiver;
    private int _fd = -1;
    private bool _registered;
    private bool _closed;
    private byte[] _partial = [];
    private int _partialLength;

    public async Task ConnectAsync(IRawSocketReceiver receiver, CancellationToken ct)
    {
        _receiver = receiver;
        var upgraded = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        Upgrades.Value.Add(() =>
        {
            try
            {
                upgraded.TrySetResult(Upgrade(ct));
            }
            catch (Exception ex)
            {
                upgraded.TrySetException(ex);
            }
        }, ct);
        var early = await upgraded.Task.WaitAsync(ct);

        // Frames that came in with the upgrade's answer were read already, so no readiness will report them; they go to
        // the receiver before the socket joins the epoll loop, which would otherwise hand on what follows them first.
        var endedEarly = false;
        if (early.Length > 0)
        {
            EndIf(static (socket, early) => socket.Consume(early), early);
            endedEarly = _closed;
        }

        lock (_gate)
        {
            if (endedEarly)
            {
                return;
            }

            ObjectDisposedException.ThrowIf(_closed, this);
            EpollLoop.Shared.Add(_fd, this);
            _registered = true;
        }
    }

    public Task SendAsync(ReadOnlyMemory<byte> text, CancellationToken ct)
    {
        try
        {
            SendFrame(binary ? OpBinary : OpText, text.Span);
            return Task.CompletedTask;
        }
        catch (Exception ex)
        {
            return Task.FromException(ex);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            CloseLocked();
        }
    }

    /// <summary>On the epoll thread, when the socket has something to read or has ended.</summary>
    internal void OnReadable(byte[] shared) => EndIf(static (socket, shared) => socket.Read(shared), shared);

    /// <summary>
    /// Runs <paramref name="step"/> on the open socket; if it says the socket ended, or fails, closes it and says so.
    /// The steps are static so that a frame costs no allocation of its own.
    /// </summary>
    private void EndIf(Func<EpollWebSocket, byte[], bool> step, byte[] bytes)
    {
        Exception? error = null;
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }

            try
            {
                if (!step(this, bytes))
                {
                    return;
                }
            }
            catch (Exception ex)
            {
                error = ex;
            }

            CloseLocked();
        }

        try
        {
            _receiver!.OnClosed(error);
        }
        catch (Exception ex)
        {
            Trace.TraceError($"A raw watcher's close handler failed: {ex}");
        }
    }

    /// <summary>Reads what is there and hands on every whole frame; true when the socket ended.</summary>
    private bool Read(byte[] shared)
    {
        int received;
        ReadOnlySpan<byte> data;
        if (_partialLength == 0)
        {
            received = EpollLoop.Receive(_fd, shared, 0);
            data = shared.AsSpan(0, Math.Max(received, 0));
        }
        else
        {
            if (_partial.Length - _partialLength < 16 * 1024)
            {
                Array.Resize(ref _partial, Math.Max(_partial.Length * 2, _partialLength + 64 * 1024));
            }

            received = EpollLoop.Receive(_fd, _partial, _partialLength);
            data = _partial.AsSpan(0, _partialLength + Math.Max(received, 0));
        }

        if (received < 0)
        {
            return false;
        }

        if (received == 0)
        {
            throw new WebSocketException(WebSocketError.ConnectionClosedPrematurely,
                "The server closed the connection without a WebSocket close.");
        }

        return Consume(data);
    }

    /// <summary>Hands on every whole frame and keeps the rest for the next read; true when the server closed.</summary>
    private bool Consume(ReadOnlySpan<byte> data)
    {
        var used = HandleFrames(data, out var closedByServer);
        if (closedByServer)
        {
            return true;
        }

        var rest = data[used..];
        if (rest.Length > _partial.Length)
        {
            _partial = new byte[Math.Max(rest.Length * 2, 64 * 1024)];
        }

        rest.CopyTo(_partial);
        _partialLength = rest.Length;
        return false;
    }

    private int HandleFrames(ReadOnlySpan<byte> data, out bool closedByServer)
    {
        closedByServer = false;
        var start = 0;
        while (data.Length - start >= 2)
        {
            var frame = data[start..];
            var opcode = frame[0] & 0x0f;
            if ((frame[1] & 0x80) != 0)
            {
                throw new WebSocketException(WebSocketError.Faulted, "The server sent a masked frame.");
            }

            long length = frame[1] & 0x7f;
            var header = 2;
            if (length == 126)
            {
                if (frame.Length < 4)
                {
                    break;
                }

                length = BinaryPrimitives.ReadUInt16BigEndian(frame[2..]);
                header = 4;
            }
            else if (length == 127)
            {
                if (frame.Length < 10)
                {
                    break;
                }

                length = (long)BinaryPrimitives.ReadUInt64BigEndian(frame[2..]);
                header = 10;
            }

            if (frame.Length - header < length)
            {
                break;
            }

            var payload = frame.Slice(header, (int)length);
            start += header + (int)length;
            switch (opcode)
            {
                case OpText or OpBinary or OpContinuation:
                    _receiver!.OnText(payload);
                    break;
                case OpClose:
                    closedByServer = true;
                    return start;
                case OpPing:
                    SendFrame(OpPong, payload);
                    break;
            }
        }

        return start;
    }

    private void CloseLocked()
    {
        if (_closed)
        {
            return;
        }

        _closed = true;
        if (_registered)
        {
            EpollLoop.Shared.Remove(_fd, this);
        }

        _socket?.Dispose();
    }

    private static BlockingCollection<Action> StartUpgradeThreads()
    {
        var jobs = new BlockingCollection<Action>();
        for (var i = 0; i < UpgradeThreads; i++)
        {
            new Thread(() =>
            {
                foreach (var job in jobs.GetConsumingEnumerable())
                {
                    job();
                }
            }) { IsBackground = true, Name = "raw watchers' upgrades" }.Start();
        }

        return jobs;
    }

    /// <summary>Connects and makes the HTTP/1.1 upgrade; returns whatever came after the server's answer.</summary>
    private byte[] Upgrade(CancellationToken ct)
    {
        // An attempt abandoned while its job waited for a thread is not made.
        ct.ThrowIfCancellationRequested();
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp)
        {
            NoDelay = true,
            ReceiveTimeout = (int)HandshakeLimit.TotalMilliseconds,
            SendTimeout = (int)HandshakeLimit.TotalMilliseconds,
        };
        lock (_gate)
        {
            if (_closed)
            {
                socket.Dispose();
                ObjectDisposedException.ThrowIf(true, this);
            }

            _socket = socket;
        }

        using var abort = ct.Register(Dispose);
        Connect(socket, ct);

        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        var request = new StringBuilder()
            .Append($"GET {webSocketUrl.PathAndQuery} HTTP/1.1\r\nHost: {webSocketUrl.Authority}\r\n")
            .Append($"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n");
        if (accessToken is not null)
        {
            request.Append($"Authorization: Bearer {accessToken}\r\n");
        }

        if (cookie is not null)
        {
            request.Append($"Cookie: {cookie}\r\n");
        }

        socket.Send(Encoding.ASCII.GetBytes(request.Append("\r\n").ToString()));

        var answer = new byte[8 * 1024];
        var filled = 0;
        int end;
        while ((end = answer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8)) < 0)
        {
            if (filled == answer.Length)
            {
                throw new WebSocketException("The server's answer to the WebSocket upgrade is too long.");
            }

            var read = socket.Receive(answer, filled, answer.Length - filled, SocketFlags.None);
            if (read == 0)
            {
                throw new WebSocketException(WebSocketError.ConnectionClosedPrematurely,
                    "The server closed the connection during the WebSocket upgrade.");
            }

            filled += read;
        }

        CheckUpgradeAnswer(Encoding.ASCII.GetString(answer, 0, end), key);
        _fd = (int)socket.SafeHandle.DangerousGetHandle();
        return answer[(end + 4)..filled];
    }

    /// <summary>Bounded by the handshake limit and <paramref name="ct"/>, without an asynchronous call.</summary>
    private void Connect(Socket socket, CancellationToken ct)
    {
        var endpoints = Dns.GetHostAddresses(webSocketUrl.DnsSafeHost);
        Exception? last = null;
        foreach (var address in endpoints)
        {
            try
            {
                ConnectTo(socket, new IPEndPoint(address, webSocketUrl.Port), ct);
                return;
            }
            catch (SocketException ex)
            {
                last = ex;
            }
        }

        throw last ?? new SocketException((int)SocketError.HostNotFound);
    }

    private void ConnectTo(Socket socket, IPEndPoint endpoint, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        socket.Blocking = false;
        try
        {
            socket.Connect(endpoint);
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.WouldBlock or SocketError.InProgress)
        {
            while (!socket.Poll(TimeSpan.FromMilliseconds(100), SelectMode.SelectWrite))
            {
                ct.ThrowIfCancellationRequested();
                if (Stopwatch.GetElapsedTime(started) > HandshakeLimit)
                {
                    throw new TimeoutException($"No connection to {webSocketUrl.Authority} within {HandshakeLimit.TotalSeconds:0} s.");
                }
            }

            var error = (int)socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Error)!;
            if (error != 0)
            {
                throw new SocketException(error);
            }
        }

        socket.Blocking = true;
    }

    private static void CheckUpgradeAnswer(string head, string key)
    {
        var lines = head.Split("\r\n");
        if (!lines[0].StartsWith("HTTP/1.1 101", StringComparison.Ordinal))
        {
            throw new WebSocketException($"The server refused the WebSocket upgrade: {lines[0]}");
        }

        var expected = Convert.ToBase64String(
            SHA1.HashData(Encoding.ASCII.GetBytes(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")));
        var accept = lines.Skip(1)
            .Select(line => line.Split(':', 2))
            .FirstOrDefault(parts => parts.Length == 2 && parts[0].Trim().Equals("Sec-WebSocket-Accept", StringComparison.OrdinalIgnoreCase));
        if (accept?[1].Trim() != expected)
        {
            throw new WebSocketException("The server's Sec-WebSocket-Accept does not match the key sent.");
        }
    }

    /// <summary>A client's frames are masked (RFC 6455, 5.3).</summary>
    private void SendFrame(int opcode, ReadOnlySpan<byte> payload)
    {
        var header = payload.Length < 126 ? 2 : payload.Length <= ushort.MaxValue ? 4 : 10;
        var frame = new byte[header + 4 + payload.Length];
        frame[0] = (byte)(0x80 | opcode);
        if (header == 2)
        {
            frame[1] = (byte)(0x80 | payload.Length);
        }
        else if (header == 4)
        {
            frame[1] = 0x80 | 126;
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), (ushort)payload.Length);
        }
        else
        {
            frame[1] = 0x80 | 127;
            BinaryPrimitives.WriteUInt64BigEndian(frame.AsSpan(2), (ulong)payload.Length);
        }

        var mask = frame.AsSpan(header, 4);
        Random.Shared.NextBytes(mask);
        for (var i = 0; i < payload.Length; i++)
        {
            frame[header + 4 + i] = (byte)(payload[i] ^ mask[i & 3]);
        }

        lock (_sending)
        {
            var socket = _socket ?? throw new InvalidOperationException("Not connected.");
            socket.Send(frame);
        }
    }
}
