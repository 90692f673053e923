using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using LiveDiscussion.LoadTest.Measuring;
using MessagePack;

namespace LiveDiscussion.LoadTest.Client;

/// <summary>
/// One Blazor Server circuit driven without a browser, the way blazor.web.js starts one: GET the page (keeping its
/// cookies), read its server component markers and persisted state (<see cref="PrerenderedPage"/>), negotiate and open
/// a WebSocket to <c>/_blazor</c> speaking blazorpack, <c>StartCircuit</c>, then <c>UpdateRootComponents</c> with every
/// marker added. From then on it acknowledges each render batch with <c>OnRenderCompleted</c>, as a browser does once
/// it has applied the batch (the server holds back rendering when too many go unacknowledged), hands each batch's
/// string table to <see cref="Shared.Renders"/>, and answers the page's JS interop calls with a plausible empty result
/// so the page never waits on a browser that is not there. Everything after the start runs on the socket's read thread
/// (for <see cref="EpollWebSocket"/>, the process's one epoll thread), so thousands of circuits cost the tool little.
/// </summary>
public sealed class CircuitConnection(int number, CircuitConnection.Shared shared) : IRawSocketReceiver, IDisposable
{
    private const string StartInvocationId = "0";
    private const byte RecordSeparator = 0x1e;

    // JSCallResultType.JSObjectReference: the call wants a JS object back, such as a module import.
    private const int JsObjectReference = 1;

    private readonly TaskCompletionSource _handshaken = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<string> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _firstRender = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<int> _found = [];
    private IRawWebSocket? _socket;
    private byte[] _buffer = new byte[16 * 1024];
    private int _length;
    private bool _handshakeDone;
    private long _nextJsObjectId;
    private int _failed;
    private volatile bool _closed;
    private volatile bool _disposed;

    /// <summary>What every circuit of a run shares: the HTTP handler, the error log, and where renders are reported.</summary>
    public sealed class Shared(SharedHttp http, ErrorLog errors)
    {
        private long _renderBatches;
        private ICircuitRenders? _renders;

        public SharedHttp Http => http;

        public ErrorLog Errors => errors;

        /// <summary>Where each render batch's text goes; null between schedules.</summary>
        public ICircuitRenders? Renders
        {
            get => Volatile.Read(ref _renders);
            set => Volatile.Write(ref _renders, value);
        }

        public long RenderBatches => Interlocked.Read(ref _renderBatches);

        /// <summary>The page's JS interop calls the circuits answered, by identifier.</summary>
        public ConcurrentDictionary<string, long> JsCalls { get; } = new(StringComparer.Ordinal);

        internal void CountRenderBatch() => Interlocked.Increment(ref _renderBatches);

        /// <summary>The epoll socket where it can run (HTTP/1.1 on Linux), else .NET's client; binary frames either way.</summary>
        internal IRawWebSocket OpenSocket(Uri webSocketUrl, string? cookie) => !http.OverHttp2 && OperatingSystem.IsLinux()
            ? new EpollWebSocket(webSocketUrl, accessToken: null, cookie, binary: true)
            : new ClientWebSocketTransport(webSocketUrl, http, accessToken: null, cookie, binary: true);
    }

    public int Number { get; } = number;

    /// <summary>False once the socket closed or the server reported the circuit failed.</summary>
    public bool IsAlive => !_closed && Volatile.Read(ref _failed) == 0;

    public string? CircuitId { get; private set; }

    /// <summary>Starts the circuit on <paramref name="pageUrl"/> and returns once its first render batch has arrived.</summary>
    public async Task StartAsync(Uri pageUrl, CancellationToken ct)
    {
        var http = shared.Http;
        string? cookie;
        PrerenderedPage page;
        using (var response = await http.Api.GetAsync(pageUrl, ct))
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new LoadRunException($"GET {pageUrl} answered {(int)response.StatusCode} {response.ReasonPhrase}.");
            }

            cookie = CookiesOf(response);
            page = PrerenderedPage.Parse(await response.Content.ReadAsStringAsync(ct));
        }

        if (page.ServerMarkers.Count == 0)
        {
            throw new LoadRunException($"{pageUrl} holds no interactive server component: there is no circuit to start.");
        }

        var token = await NegotiateAsync(cookie, ct);
        var socket = shared.OpenSocket(ToWebSocketUri(new Uri(http.BaseUrl, $"_blazor?id={Uri.EscapeDataString(token)}")), cookie);
        _socket = socket;
        await socket.ConnectAsync(this, ct);
        await socket.SendAsync(BlazorPack.Handshake, ct);
        await _handshaken.Task.WaitAsync(ct);

        // blazor.web.js hands the page's persisted state to both calls: StartCircuit, and the first UpdateRootComponents.
        var state = page.ServerState ?? "";
        await socket.SendAsync(
            BlazorPack.Invoke(StartInvocationId, "StartCircuit", http.BaseUrl.AbsoluteUri, pageUrl.AbsoluteUri, "[]", state), ct);
        CircuitId = await _started.Task.WaitAsync(ct);
        await socket.SendAsync(BlazorPack.Invoke(null, "UpdateRootComponents", page.AddOperationsJson(), state), ct);
        await _firstRender.Task.WaitAsync(ct);
    }

    /// <summary>Calls a method of the Blazor hub as the browser would, whatever the arguments: a forged call.</summary>
    public void InvokeHub(string target, params object?[] arguments) => Send(BlazorPack.Invoke(null, target, arguments));

    /// <summary>The server drops a client it has not heard from in 30 s; browsers ping every 15 s.</summary>
    public void Ping() => Send(BlazorPack.PingMessage);

    public void Dispose()
    {
        _disposed = true;
        _socket?.Dispose();
    }

    public void OnText(ReadOnlySpan<byte> text)
    {
        var arrival = Stopwatch.GetTimestamp();
        if (_length + text.Length > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + text.Length));
        }

        text.CopyTo(_buffer.AsSpan(_length));
        _length += text.Length;

        var used = 0;
        if (!_handshakeDone)
        {
            var end = _buffer.AsSpan(0, _length).IndexOf(RecordSeparator);
            if (end < 0)
            {
                return;
            }

            var answer = Encoding.UTF8.GetString(_buffer, 0, end);
            _handshakeDone = true;
            if (answer.Contains("\"error\"", StringComparison.Ordinal))
            {
                _handshaken.TrySetException(new WebSocketException($"The Blazor hub refused the handshake: {answer}"));
            }
            else
            {
                _handshaken.TrySetResult();
            }

            used = end + 1;
        }

        try
        {
            while (BlazorPack.TryFrame(_buffer.AsSpan(used, _length - used), out var bodyStart, out var bodyLength))
            {
                Handle(new ReadOnlyMemory<byte>(_buffer, used + bodyStart, bodyLength), arrival);
                used += bodyStart + bodyLength;
            }
        }
        catch (Exception ex) when (ex is MessagePackSerializationException or InvalidDataException or InvalidOperationException
            or EndOfStreamException)
        {
            Fail($"unreadable message: {ex.Message}");
            used = _length;
        }

        _buffer.AsSpan(used, _length - used).CopyTo(_buffer);
        _length -= used;
    }

    public void OnClosed(Exception? error)
    {
        _closed = true;
        var why = error?.Message ?? "the server closed the WebSocket";
        _handshaken.TrySetException(new WebSocketException(why));
        _started.TrySetException(new WebSocketException(why));
        _firstRender.TrySetException(new WebSocketException(why));
        if (!_disposed)
        {
            Fail($"closed: {why}");
        }
    }

    private void Handle(ReadOnlyMemory<byte> message, long arrival)
    {
        var reader = new MessagePackReader(message);
        switch (BlazorPack.ReadType(ref reader))
        {
            case BlazorPack.Invocation:
                var (_, target, _) = BlazorPack.ReadInvocation(ref reader);
                switch (target)
                {
                    case "JS.RenderBatch":
                        var batchId = reader.ReadInt64();
                        var bytes = reader.ReadBytes() ?? throw new InvalidDataException("A render batch without bytes.");
                        OnRenderBatch(batchId, bytes.IsSingleSegment ? bytes.FirstSpan : System.Buffers.BuffersExtensions.ToArray(bytes), arrival);
                        break;
                    case "JS.BeginInvokeJS":
                        AnswerJsCall(ref reader);
                        break;
                    case "JS.Error":
                        Fail($"the circuit failed: {BlazorPack.ReadNullableString(ref reader)}");
                        break;
                }

                break;
            case BlazorPack.Completion:
                var (invocationId, resultKind) = BlazorPack.ReadCompletion(ref reader);
                if (invocationId == StartInvocationId)
                {
                    var result = resultKind is BlazorPack.ErrorResult or BlazorPack.NonVoidResult
                        ? BlazorPack.ReadNullableString(ref reader)
                        : null;
                    if (resultKind == BlazorPack.NonVoidResult && result is { Length: > 0 })
                    {
                        _started.TrySetResult(result);
                    }
                    else
                    {
                        _started.TrySetException(new LoadRunException($"StartCircuit was refused{(result is null ? "" : $": {result}")}."));
                    }
                }

                break;
            case BlazorPack.Close:
                reader.Skip();
                Fail("the hub closed the connection");
                break;
        }
    }

    private void OnRenderBatch(long batchId, ReadOnlySpan<byte> batch, long arrival)
    {
        shared.CountRenderBatch();
        try
        {
            if (shared.Renders is { } renders)
            {
                _found.Clear();
                RenderBatchText.FindNumbered(batch, renders.Prefix, _found);
                foreach (var index in _found)
                {
                    renders.OnRendered(Number, index, arrival);
                }
            }
        }
        finally
        {
            Send(BlazorPack.Invoke(null, "OnRenderCompleted", batchId, null));
            _firstRender.TrySetResult();
        }
    }

    /// <summary>
    /// Answers as a page in a browser would, without doing anything: a module import gets a fresh object reference,
    /// calls that return lists get an empty one (a page may read the length of what <c>keysStartingWith</c> found), the
    /// rest null.
    /// Arguments: async handle, identifier, arguments JSON, result type, target instance id (and, from .NET 10, call type).
    /// </summary>
    private void AnswerJsCall(ref MessagePackReader reader)
    {
        var asyncHandle = reader.ReadInt64();
        var identifier = reader.ReadString() ?? "";
        reader.Skip();
        var resultType = reader.ReadInt32();
        shared.JsCalls.AddOrUpdate(identifier, 1, static (_, count) => count + 1);
        if (asyncHandle == 0)
        {
            return;
        }

        var result = resultType switch
        {
            JsObjectReference => $"{{\"__jsObjectId\":{Interlocked.Increment(ref _nextJsObjectId)}}}",
            _ => identifier switch
            {
                "keysStartingWith" => "[]",
                _ => "null",
            },
        };
        var handle = asyncHandle.ToString(CultureInfo.InvariantCulture);
        Send(BlazorPack.Invoke(null, "EndInvokeJSFromDotNet", asyncHandle, true, $"[{handle},true,{result}]"));
    }

    private void Send(byte[] message)
    {
        if (_socket is not { } socket || _closed || _disposed)
        {
            return;
        }

        try
        {
            var sending = socket.SendAsync(message, CancellationToken.None);
            if (!sending.IsCompletedSuccessfully)
            {
                _ = ObserveAsync(sending);
            }
        }
        catch (Exception ex) when (ex is IOException or WebSocketException or ObjectDisposedException or InvalidOperationException
            or System.Net.Sockets.SocketException)
        {
            Fail($"send failed: {ex.Message}");
        }
    }

    private async Task ObserveAsync(Task sending)
    {
        try
        {
            await sending;
        }
        catch (Exception ex) when (!_disposed)
        {
            Fail($"send failed: {ex.Message}");
        }
    }

    private void Fail(string message)
    {
        if (Interlocked.Exchange(ref _failed, 1) == 0)
        {
            shared.Errors.Add($"circuit {Number}: {message}");
        }

        _started.TrySetException(new LoadRunException(message));
        _firstRender.TrySetException(new LoadRunException(message));
    }

    private async Task<string> NegotiateAsync(string? cookie, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "_blazor/negotiate?negotiateVersion=1");
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }

        using var response = await shared.Http.Api.SendAsync(request, ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new LoadRunException($"Negotiating with /_blazor answered {(int)response.StatusCode} {response.ReasonPhrase}.");
        }

        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        return answer.RootElement.TryGetProperty("connectionToken", out var token) && token.GetString() is { Length: > 0 } value
            ? value
            : throw new LoadRunException("Negotiating with /_blazor gave no connectionToken.");
    }

    /// <summary>The <c>name=value</c> of every cookie the page set, as one <c>Cookie</c> header; null for none.</summary>
    private static string? CookiesOf(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var cookies)
            ? string.Join("; ", cookies.Select(cookie => cookie.Split(';', 2)[0].Trim()))
            : null;

    private static Uri ToWebSocketUri(Uri uri) => new UriBuilder(uri) { Scheme = uri.Scheme == "https" ? "wss" : "ws", Port = uri.Port }.Uri;
}

/// <summary>Where circuits report the numbered texts they found rendered.</summary>
public interface ICircuitRenders
{
    /// <summary>The UTF-8 text before the number: a reply marker's prefix.</summary>
    ReadOnlySpan<byte> Prefix { get; }

    /// <summary>Circuit <paramref name="circuit"/> received a render batch showing text number <paramref name="index"/>.</summary>
    void OnRendered(int circuit, int index, long arrival);
}
