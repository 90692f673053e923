using System.Collections.Concurrent;
using System.Text.Json.Serialization;
using LiveDiscussion.Contracts;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace LiveDiscussion.Tests.Infrastructure;

/// <summary>A real SignalR client of the discussion hub that records everything the server sends it.</summary>
public sealed class HubWatcher : IAsyncDisposable
{
    private HubWatcher(HubConnection connection)
    {
        Connection = connection;
        connection.On<ThreadEventDto>(DiscussionHubContract.ThreadEvent, e => Events.Enqueue(e));
        connection.On<TypingChangedDto>(DiscussionHubContract.TypingChanged, t => Typing.Enqueue(t));
        connection.On<ViewersChangedDto>(DiscussionHubContract.ViewersChanged, v => Viewers.Enqueue(v));
        connection.On<ThreadSummaryDto>(DiscussionHubContract.ThreadListChanged, t => ListChanges.Enqueue(t));
    }

    public HubConnection Connection { get; }
    public ConcurrentQueue<ThreadEventDto> Events { get; } = new();
    public ConcurrentQueue<TypingChangedDto> Typing { get; } = new();
    public ConcurrentQueue<ViewersChangedDto> Viewers { get; } = new();
    public ConcurrentQueue<ThreadSummaryDto> ListChanges { get; } = new();

    public static async Task<HubWatcher> ConnectAsync(TestApp app, HttpClient? signedIn = null, bool messagePack = false)
    {
        var token = signedIn?.DefaultRequestHeaders.Authorization?.Parameter;
        var builder = new HubConnectionBuilder()
            .WithUrl(new Uri(app.BaseAddress, DiscussionHubContract.Path), options =>
            {
                if (token is not null)
                {
                    options.AccessTokenProvider = () => Task.FromResult<string?>(token);
                }
            });
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
