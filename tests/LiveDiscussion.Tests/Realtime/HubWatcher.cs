using System.Collections.Concurrent;
using System.Text.Json.Serialization;
using LiveDiscussion.Contracts;
using LiveDiscussion.TestSupport;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace LiveDiscussion.Tests.Realtime;

/// <summary>A real SignalR client of the discussion hub that records everything the server sends it.</summary>
public sealed class HubWatcher : IAsyncDisposable
{
    private readonly List<long> _applied = [];
    private readonly SemaphoreSlim _catchingUp = new(1, 1);
    private long? _followedThreadId;

    private HubWatcher(HubConnection connection)
    {
        Connection = connection;
        connection.On<ThreadEventDto>(DiscussionHubContract.ThreadEvent, e =>
        {
            Events.Enqueue(e);
            Apply(e);
        });
        connection.On<LiveStatusDto>(DiscussionHubContract.LiveStatusChanged, status =>
        {
            LiveStatuses.Enqueue(status);
            if (!status.Paused)
            {
                _ = CatchUpAsync();
            }
        });
        connection.Reconnected += _ => CatchUpAsync();
        connection.On<TypingChangedDto>(DiscussionHubContract.TypingChanged, t => Typing.Enqueue(t));
        connection.On<ViewersChangedDto>(DiscussionHubContract.ViewersChanged, v => Viewers.Enqueue(v));
        connection.On<ThreadSummaryDto>(DiscussionHubContract.ThreadListChanged, t => ListChanges.Enqueue(t));
    }

    public HubConnection Connection { get; }
    public ConcurrentQueue<ThreadEventDto> Events { get; } = new();
    public ConcurrentQueue<TypingChangedDto> Typing { get; } = new();
    public ConcurrentQueue<ViewersChangedDto> Viewers { get; } = new();
    public ConcurrentQueue<ThreadSummaryDto> ListChanges { get; } = new();
    public ConcurrentQueue<LiveStatusDto> LiveStatuses { get; } = new();

    /// <summary>The seqs of the followed thread as this viewer applied them: in order, each once.</summary>
    public IReadOnlyList<long> Applied
    {
        get
        {
            lock (_applied)
            {
                return [.. _applied];
            }
        }
    }

    public static Task<HubWatcher> ConnectAsync(TestApp app, HttpClient? signedIn = null, bool messagePack = false) =>
        ConnectAsync(app.BaseAddress, signedIn, messagePack);

    /// <param name="reconnect">Reconnect by itself after losing the server, retrying every half second for a minute.</param>
    public static async Task<HubWatcher> ConnectAsync(Uri node, HttpClient? signedIn = null, bool messagePack = false, bool reconnect = false)
    {
        var token = signedIn?.DefaultRequestHeaders.Authorization?.Parameter;
        var builder = new HubConnectionBuilder()
            .WithUrl(new Uri(node, DiscussionHubContract.Path), options =>
            {
                if (token is not null)
                {
                    options.AccessTokenProvider = () => Task.FromResult<string?>(token);
                }
            });
        if (reconnect)
        {
            builder.WithAutomaticReconnect(Enumerable.Repeat(TimeSpan.FromMilliseconds(500), 120).ToArray());
        }

        if (messagePack)
        {
            builder.AddMessagePackProtocol();
        }
        else
        {
            builder.AddJsonProtocol(options => options.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        }

        var watcher = new HubWatcher(builder.Build());
        await watcher.Connection.StartAsync();
        return watcher;
    }

    public Task<ThreadCatchUp> WatchAsync(long threadId, long afterSeq = 0) =>
        Connection.InvokeAsync<ThreadCatchUp>(DiscussionHubContract.WatchThread, threadId, afterSeq);

    /// <summary>
    /// Watches a thread the way the protocol asks a viewer to: applies events in seq order, each once, and catches up
    /// from its last seq on a gap, after reconnecting, and when its node says live updates flow again.
    /// </summary>
    public async Task FollowAsync(long threadId)
    {
        _followedThreadId = threadId;
        await CatchUpAsync();
    }

    private void Apply(ThreadEventDto threadEvent)
    {
        if (threadEvent.ThreadId != _followedThreadId)
        {
            return;
        }

        lock (_applied)
        {
            var last = _applied.Count == 0 ? 0 : _applied[^1];
            if (threadEvent.Seq <= last)
            {
                return;
            }

            if (threadEvent.Seq == last + 1)
            {
                _applied.Add(threadEvent.Seq);
                return;
            }
        }

        _ = CatchUpAsync();
    }

    private async Task CatchUpAsync()
    {
        if (_followedThreadId is not { } threadId)
        {
            return;
        }

        await _catchingUp.WaitAsync();
        try
        {
            ThreadCatchUp catchUp;
            do
            {
                long last;
                lock (_applied)
                {
                    last = _applied.Count == 0 ? 0 : _applied[^1];
                }

                catchUp = await WatchAsync(threadId, last);
                foreach (var threadEvent in catchUp.Events.OrderBy(e => e.Seq))
                {
                    Apply(threadEvent);
                }
            }
            while (catchUp.Truncated && catchUp.Events.Count > 0);
        }
        catch (Exception) when (Connection.State != HubConnectionState.Connected)
        {
            // Reconnected runs this again.
        }
        finally
        {
            _catchingUp.Release();
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds, failing the test with <paramref name="what"/> if it never does.</summary>
    public static async Task EventuallyAsync(Func<bool> condition, string what, int timeoutMs = 5000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync() => await Connection.DisposeAsync();
}
