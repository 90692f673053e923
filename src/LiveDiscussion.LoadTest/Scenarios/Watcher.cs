using System.Diagnostics;
using LiveDiscussion.Contracts;
using LiveDiscussion.LoadTest.Measuring;
using Microsoft.AspNetCore.SignalR.Client;

namespace LiveDiscussion.LoadTest.Scenarios;

/// <summary>One simulated reader: a hub connection watching one thread, reporting what arrives to the recorder.</summary>
public sealed class Watcher(int number, HubConnection connection) : IAsyncDisposable
{
    private SeqTracker? _seen;
    private volatile bool _stopping;

    public int Number { get; } = number;

    public bool IsConnected => connection.State == HubConnectionState.Connected;

    /// <summary>Connects and watches <paramref name="threadId"/>; events go to <paramref name="recorder"/> once it is set.</summary>
    public async Task StartAsync(long threadId, Func<DeliveryRecorder?> recorder, ErrorLog errors, CancellationToken ct)
    {
        connection.On<ThreadEventDto>(DiscussionHubContract.ThreadEvent, threadEvent =>
        {
            // Taken first, so the time the callback spends counting is not charged to the server.
            var arrival = Stopwatch.GetTimestamp();
            if (_seen is not { } seen)
            {
                return;
            }

            // Every event is tracked, warm-up ones included, so the seq set stays contiguous once measuring starts.
            var isNew = seen.TryAdd(threadEvent.Seq);
            if (recorder() is { } target)
            {
                target.OnEvent(threadEvent, isNew, arrival);
            }
        });

        // Registered so the server's ephemeral updates are read and dropped rather than logged as unknown methods.
        connection.On<TypingChangedDto>(DiscussionHubContract.TypingChanged, _ => { });
        connection.On<ViewersChangedDto>(DiscussionHubContract.ViewersChanged, _ => { });

        connection.Closed += error =>
        {
            if (!_stopping)
            {
                errors.Add($"watcher {Number} lost its connection: {error?.Message ?? "closed by the server"}");
            }

            return Task.CompletedTask;
        };

        await connection.StartAsync(ct);
        var catchUp = await connection.InvokeAsync<ThreadCatchUp>(DiscussionHubContract.WatchThread, threadId, 0L, ct);

        // Events at or below the thread's latest seq predate this run; only later ones can be ours.
        _seen = new SeqTracker(catchUp.LatestSeq);
    }

    public async ValueTask DisposeAsync()
    {
        _stopping = true;
        await connection.DisposeAsync();
    }
}
