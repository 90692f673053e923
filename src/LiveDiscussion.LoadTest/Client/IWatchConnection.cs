using LiveDiscussion.Contracts;
using Microsoft.AspNetCore.SignalR.Client;

namespace LiveDiscussion.LoadTest.Client;

/// <summary>What a watcher needs of its connection to the hub, so the same watcher runs on either client.</summary>
public interface IWatchConnection : IAsyncDisposable
{
    bool IsConnected { get; }

    bool IsDisconnected { get; }

    /// <summary>Raised when the connection ends other than by <see cref="IAsyncDisposable.DisposeAsync"/>.</summary>
    event Func<Exception?, Task>? Closed;

    /// <summary>Set before <see cref="StartAsync"/>.</summary>
    void OnThreadEvent(Action<ThreadEventDto> handler);

    /// <summary>Set before <see cref="StartAsync"/>.</summary>
    void OnTyping(Action handler);

    Task StartAsync(CancellationToken ct);

    Task<ThreadCatchUp> WatchThreadAsync(long threadId, long afterSeq, CancellationToken ct);
}

/// <summary>The SignalR .NET client, as every other client of the hub uses it.</summary>
public sealed class HubWatchConnection(HubConnection connection) : IWatchConnection
{
    public bool IsConnected => connection.State == HubConnectionState.Connected;

    public bool IsDisconnected => connection.State == HubConnectionState.Disconnected;

    public event Func<Exception?, Task>? Closed
    {
        add => connection.Closed += value;
        remove => connection.Closed -= value;
    }

    public void OnThreadEvent(Action<ThreadEventDto> handler) => connection.On(DiscussionHubContract.ThreadEvent, handler);

    public void OnTyping(Action handler)
    {
        connection.On<TypingChangedDto>(DiscussionHubContract.TypingChanged, _ => handler());
        // Registered so the server's other updates are read and dropped rather than logged as unknown methods.
        connection.On<ViewersChangedDto>(DiscussionHubContract.ViewersChanged, _ => { });
    }

    public Task StartAsync(CancellationToken ct) => connection.StartAsync(ct);

    public Task<ThreadCatchUp> WatchThreadAsync(long threadId, long afterSeq, CancellationToken ct) =>
        connection.InvokeAsync<ThreadCatchUp>(DiscussionHubContract.WatchThread, threadId, afterSeq, ct);

    public ValueTask DisposeAsync() => connection.DisposeAsync();
}
