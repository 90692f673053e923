using System.Collections.Concurrent;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using LiveDiscussion.Contracts;

namespace LiveDiscussion.LoadTest.Client;

/// <summary>
/// A watcher's connection that speaks SignalR's JSON hub protocol itself over one WebSocket, and reads of each
/// <c>ThreadEvent</c> only what the measurement needs (thread, seq, type, reply id and body, reason). The .NET client's
/// pipes, dispatch and binding of whole DTOs cost the tool more CPU per delivery than the server spends sending it, so
/// with thousands of watchers on one core the tool, not the server, set the figures. Same wire, same hub methods as
/// any client; the bare hub baseline is measured with it too (<c>--client raw</c>). persist's posters use it for the
/// same reason (<see cref="PostReplyAsync"/>). The WebSocket under it comes from <paramref name="openSocket"/>, a new
/// one for each start.
/// </summary>
public sealed class RawJsonWatchConnection(Func<IRawWebSocket> openSocket, RawJsonWatchConnection.LiveEvents liveEvents)
    : IWatchConnection
{
    private const byte RecordSeparator = 0x1e;
    private const int Disconnected = 0, Connecting = 1, Connected = 2;
    private static readonly byte[] Handshake = "{\"protocol\":\"json\",\"version\":1}\u001e"u8.ToArray();
    private static readonly byte[] Ping = "{\"type\":6}\u001e"u8.ToArray();

    // The server drops a client it has not heard from in 30 s; the .NET client pings every 15 s, and so does this one.
    private static readonly TimeSpan PingInterval = TimeSpan.FromSeconds(15);

    private readonly ConcurrentDictionary<string, TaskCompletionSource<ThreadCatchUp>> _invocations = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<string?>> _posts = new();
    private Session? _session;
    private Action<ThreadEventDto>? _onThreadEvent;
    private Action? _onTyping;
    private int _nextInvocation;
    private int _state;
    private volatile bool _disposed;

    public bool IsConnected => Volatile.Read(ref _state) == Connected;

    public bool IsDisconnected => Volatile.Read(ref _state) == Disconnected;

    public event Func<Exception?, Task>? Closed;

    public void OnThreadEvent(Action<ThreadEventDto> handler) => _onThreadEvent = handler;

    public void OnTyping(Action handler) => _onTyping = handler;

    public async Task StartAsync(CancellationToken ct)
    {
        Volatile.Write(ref _state, Connecting);
        var session = new Session(this, openSocket());
        _session = session;
        try
        {
            await session.Socket.ConnectAsync(session, ct);
            await session.Socket.SendAsync(Handshake, ct);
            await session.Handshaken.Task.WaitAsync(ct);
            if (Interlocked.CompareExchange(ref _state, Connected, Connecting) != Connecting)
            {
                throw new WebSocketException("The connection closed right after the handshake.");
            }
        }
        catch
        {
            Volatile.Write(ref _state, Disconnected);
            session.End();
            throw;
        }

        _ = PingAsync(session);
    }

    public Task<ThreadCatchUp> WatchThreadAsync(long threadId, long afterSeq, CancellationToken ct) =>
        InvokeAsync(_invocations, DiscussionHubContract.WatchThread,
            string.Create(CultureInfo.InvariantCulture, $"{threadId},{afterSeq}"), ct);

    /// <summary>
    /// Calls the hub's PostReply: null once the server acknowledged the reply (stored), or the hub's refusal. Only the
    /// acknowledgement is read, not the reply it carries.
    /// </summary>
    public Task<string?> PostReplyAsync(PostReplyRequest request, CancellationToken ct) =>
        InvokeAsync(_posts, DiscussionHubContract.PostReply, JsonSerializer.Serialize(request, WireJson.Options), ct);

    /// <summary>Sends one invocation and waits for its answer, which the receiving side puts in <paramref name="pending"/>.</summary>
    private async Task<T> InvokeAsync<T>(
        ConcurrentDictionary<string, TaskCompletionSource<T>> pending, string target, string arguments, CancellationToken ct)
    {
        var session = _session is { } s && IsConnected ? s : throw new InvalidOperationException("Not connected.");
        var id = Interlocked.Increment(ref _nextInvocation).ToString(CultureInfo.InvariantCulture);
        var answer = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        pending[id] = answer;
        try
        {
            var message = $"{{\"type\":1,\"invocationId\":\"{id}\",\"target\":\"{target}\",\"arguments\":[{arguments}]}}\u001e";
            await session.Socket.SendAsync(Encoding.UTF8.GetBytes(message), ct);
            return await answer.Task.WaitAsync(ct);
        }
        finally
        {
            pending.TryRemove(id, out _);
        }
    }

    public ValueTask DisposeAsync()
    {
        _disposed = true;
        _session?.End();
        Volatile.Write(ref _state, Disconnected);
        return ValueTask.CompletedTask;
    }

    private static async Task PingAsync(Session session)
    {
        using var timer = new PeriodicTimer(PingInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(session.Stop.Token))
            {
                await session.Socket.SendAsync(Ping, session.Stop.Token);
            }
        }
        catch (Exception)
        {
            // The connection is ending, or a failed send means it is going: its close is reported from the receiving side.
        }
    }

    private void Ended(Session session, Exception? error)
    {
        if (!ReferenceEquals(_session, session))
        {
            return;
        }

        var wasConnected = Interlocked.Exchange(ref _state, Disconnected) == Connected;
        session.Handshaken.TrySetException(error ?? new WebSocketException("The server closed the connection."));
        FailAll(_invocations, error);
        FailAll(_posts, error);

        if (wasConnected && !_disposed && Closed is { } closed)
        {
            // Off the receiving thread: a watcher's answer to a lost connection is to connect again.
            _ = Task.Run(() => closed(error));
        }
    }

    private static void FailAll<T>(ConcurrentDictionary<string, TaskCompletionSource<T>> pending, Exception? error)
    {
        foreach (var id in pending.Keys)
        {
            if (pending.TryRemove(id, out var answer))
            {
                answer.TrySetException(error ?? new WebSocketException("The connection closed."));
            }
        }
    }

    /// <summary>One WebSocket's life: its messages cut at record separators, its handshake, its end.</summary>
    private sealed class Session(RawJsonWatchConnection owner, IRawWebSocket socket) : IRawSocketReceiver
    {
        private byte[] _buffer = [];
        private int _filled;
        private bool _handshaken;
        private int _ended;

        public IRawWebSocket Socket { get; } = socket;

        public CancellationTokenSource Stop { get; } = new();

        public TaskCompletionSource Handshaken { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void OnText(ReadOnlySpan<byte> text)
        {
            if (_filled == 0)
            {
                // Nearly always: the piece holds whole messages, handled where they lie.
                Keep(text[DispatchComplete(text)..]);
                return;
            }

            Keep(text);
            var used = DispatchComplete(_buffer.AsSpan(0, _filled));
            _buffer.AsSpan(used, _filled - used).CopyTo(_buffer);
            _filled -= used;
        }

        public void OnClosed(Exception? error)
        {
            End();
            owner.Ended(this, error);
        }

        public void End()
        {
            if (Interlocked.Exchange(ref _ended, 1) == 0)
            {
                Stop.Cancel();
                Socket.Dispose();
            }
        }

        private void Keep(ReadOnlySpan<byte> rest)
        {
            if (rest.IsEmpty)
            {
                return;
            }

            if (_buffer.Length - _filled < rest.Length)
            {
                Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _filled + rest.Length + 4096));
            }

            rest.CopyTo(_buffer.AsSpan(_filled));
            _filled += rest.Length;
        }

        private int DispatchComplete(ReadOnlySpan<byte> text)
        {
            var start = 0;
            int length;
            while ((length = text[start..].IndexOf(RecordSeparator)) >= 0)
            {
                var message = text.Slice(start, length);
                start += length + 1;
                if (_handshaken)
                {
                    owner.Handle(message);
                }
                else
                {
                    _handshaken = true;
                    if (HandshakeRefusal(message) is { } refusal)
                    {
                        Handshaken.TrySetException(new InvalidOperationException($"The hub refused the handshake: {refusal}"));
                    }
                    else
                    {
                        Handshaken.TrySetResult();
                    }
                }
            }

            return start;
        }
    }

    private void Handle(ReadOnlySpan<byte> message)
    {
        var reader = new Utf8JsonReader(message);
        reader.Read();
        var type = 0;
        string? invocationId = null;
        var target = Target.Other;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                type = reader.GetInt32();
            }
            else if (reader.ValueTextEquals("target"u8))
            {
                reader.Read();
                target = reader.ValueTextEquals("ThreadEvent"u8) ? Target.ThreadEvent
                    : reader.ValueTextEquals("TypingChanged"u8) ? Target.Typing
                    : Target.Other;
            }
            else if (reader.ValueTextEquals("invocationId"u8))
            {
                reader.Read();
                invocationId = reader.GetString();
            }
            else if (reader.ValueTextEquals("arguments"u8) && type == 1 && target == Target.ThreadEvent)
            {
                reader.Read();
                reader.Read();
                _onThreadEvent?.Invoke(liveEvents.Read(ref reader));
                return;
            }
            else if (reader.ValueTextEquals("result"u8) && type == 3 && invocationId is not null
                && _posts.TryRemove(invocationId, out var post))
            {
                reader.Read();
                reader.Skip();
                post.TrySetResult(null);
            }
            else if (reader.ValueTextEquals("result"u8) && type == 3 && invocationId is not null)
            {
                reader.Read();
                var result = ReadCatchUp(ref reader);
                if (_invocations.TryRemove(invocationId, out var answer))
                {
                    answer.TrySetResult(result);
                }
            }
            else if (reader.ValueTextEquals("error"u8) && invocationId is not null)
            {
                reader.Read();
                var problem = reader.GetString();
                if (_invocations.TryRemove(invocationId, out var answer))
                {
                    answer.TrySetException(new InvalidOperationException($"The hub refused: {problem}"));
                }
                else if (_posts.TryRemove(invocationId, out var refused))
                {
                    refused.TrySetResult($"the hub refused: {problem}");
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (type == 1 && target == Target.Typing)
        {
            _onTyping?.Invoke();
        }
    }

    /// <summary>
    /// The live events of one server, shared by all the connections to it: every watcher of a thread receives the same
    /// live event, so it is bound once, by whichever watcher reads it first, and the others find it by its thread and
    /// seq after reading just those two numbers (the server writes them first).
    /// </summary>
    public sealed class LiveEvents
    {
        private const int MaxKept = 20_000;
        private readonly ConcurrentDictionary<(long ThreadId, long Seq), ThreadEventDto> _kept = new();

        /// <summary>
        /// The event at the reader (on its StartObject). With <paramref name="toEnd"/> the reader is left on the event's
        /// EndObject, for a reader that goes on to what follows it; without, it may be left anywhere inside.
        /// </summary>
        public ThreadEventDto Read(ref Utf8JsonReader reader, bool toEnd = false)
        {
            var start = reader;
            long threadId = -1, seq = -1;
            while ((threadId < 0 || seq < 0) && reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isThreadId = reader.ValueTextEquals("threadId"u8);
                var isSeq = !isThreadId && reader.ValueTextEquals("seq"u8);
                reader.Read();
                if (isThreadId)
                {
                    threadId = reader.GetInt64();
                }
                else if (isSeq)
                {
                    seq = reader.GetInt64();
                }
                else
                {
                    reader.Skip();
                }
            }

            if (threadId >= 0 && seq >= 0 && _kept.TryGetValue((threadId, seq), out var known))
            {
                var depth = start.CurrentDepth;
                while (toEnd && !(reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == depth) && reader.Read())
                {
                    if (reader.TokenType == JsonTokenType.PropertyName)
                    {
                        reader.Read();
                        reader.Skip();
                    }
                }

                return known;
            }

            var threadEvent = JsonSerializer.Deserialize<WireEvent>(ref start, WireJson.Options)!.ToDto();
            reader = start;
            if (_kept.Count >= MaxKept)
            {
                _kept.Clear();
            }

            _kept.TryAdd((threadEvent.ThreadId, threadEvent.Seq), threadEvent);
            return threadEvent;
        }
    }

    /// <summary>
    /// A <c>WatchThread</c> answer, its events bound through <paramref name="liveEvents"/>: after a restart thousands of
    /// watchers get the same missed events, and binding each once keeps the tool from being the slow end of the crowd.
    /// </summary>
    private ThreadCatchUp ReadCatchUp(ref Utf8JsonReader reader)
    {
        long threadId = 0, latestSeq = 0;
        var truncated = false;
        var events = new List<ThreadEventDto>();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("threadId"u8))
            {
                reader.Read();
                threadId = reader.GetInt64();
            }
            else if (reader.ValueTextEquals("latestSeq"u8))
            {
                reader.Read();
                latestSeq = reader.GetInt64();
            }
            else if (reader.ValueTextEquals("truncated"u8))
            {
                reader.Read();
                truncated = reader.GetBoolean();
            }
            else if (reader.ValueTextEquals("events"u8))
            {
                reader.Read();
                while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
                {
                    events.Add(liveEvents.Read(ref reader, toEnd: true));
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return new ThreadCatchUp(threadId, latestSeq, events, truncated);
    }

    private static string? HandshakeRefusal(ReadOnlySpan<byte> handshakeResponse)
    {
        var reader = new Utf8JsonReader(handshakeResponse);
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("error"u8))
            {
                reader.Read();
                return reader.GetString();
            }
        }

        return null;
    }

    private enum Target
    {
        Other,
        ThreadEvent,
        Typing,
    }

    // Mutable classes, not records: System.Text.Json binds settable properties faster than constructor parameters, and
    // whatever is not named here (the reply's HTML, author, times) is skipped unread.
    private sealed class WireEvent
    {
        public long ThreadId { get; set; }

        public long Seq { get; set; }

        public string Type { get; set; } = "";

        public DateTimeOffset At { get; set; }

        public WireReply? Reply { get; set; }

        public string? Reason { get; set; }

        public ThreadEventDto ToDto() => new(ThreadId, Seq, Type, At,
            Reply is { } reply
                ? new ReplyDto(reply.Id, ThreadId, null, Unread, false, reply.Body, "", default, null, ReplyState.Visible)
                : null,
            Reason);

        private static readonly AuthorDto Unread = new("", null);
    }

    private sealed class WireReply
    {
        public long Id { get; set; }

        public string Body { get; set; } = "";
    }
}
