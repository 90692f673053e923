using System.Globalization;
using LiveDiscussion.Contracts;
using LiveDiscussion.LoadTest.Cli;
using LiveDiscussion.LoadTest.Client;
using LiveDiscussion.LoadTest.Measuring;
using Microsoft.AspNetCore.SignalR.Client;

namespace LiveDiscussion.LoadTest.Scenarios;

/// <summary>
/// K people writing in the watched thread, as the composer signals it: each typist has an account of its own (the server
/// keeps one typing mark per person), watches the thread, and calls <c>SetTyping</c> every two seconds, starting and
/// stopping in turn, so the thread's typist list keeps changing and the server keeps sending TypingChanged to every
/// watcher. Against the bare hub, which has no accounts, the typists are anonymous.
/// </summary>
public sealed class Typists : IAsyncDisposable
{
    /// <summary>The composer's own pace: "typing" at most every two seconds.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    private readonly List<HubConnection> _connections;
    private readonly long _threadId;
    private readonly ErrorLog _errors;
    private readonly CancellationTokenSource _stop = new();
    private Task _typing = Task.CompletedTask;
    private long _signals;

    private Typists(List<HubConnection> connections, long threadId, ErrorLog errors)
    {
        _connections = connections;
        _threadId = threadId;
        _errors = errors;
    }

    public long Signals => Interlocked.Read(ref _signals);

    public static async Task<Typists> ConnectAsync(
        int count, DiscussionApi api, SharedHttp http, WireProtocol protocol, long threadId, string runTag, ErrorLog errors, CancellationToken ct)
    {
        var connections = await Task.WhenAll(Enumerable.Range(0, count).Select(async k =>
        {
            var token = api.AccessToken is null ? null : await AccountAsync(api, runTag, k, ct);
            var connection = new HubClientFactory(http, protocol, token).Create();
            connection.On<ThreadEventDto>(DiscussionHubContract.ThreadEvent, _ => { });
            connection.On<TypingChangedDto>(DiscussionHubContract.TypingChanged, _ => { });
            connection.On<ViewersChangedDto>(DiscussionHubContract.ViewersChanged, _ => { });
            await connection.StartAsync(ct);
            await connection.InvokeAsync<ThreadCatchUp>(DiscussionHubContract.WatchThread, threadId, long.MaxValue, ct);
            return connection;
        }));
        return new Typists([.. connections], threadId, errors);
    }

    /// <summary>Starts typing; each typist's first signal is staggered across one interval.</summary>
    public void Start() =>
        _typing = Task.WhenAll(_connections.Select((connection, k) => TypeAsync(connection, k, _stop.Token)));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _typing;
        await Task.WhenAll(_connections.Select(c => c.DisposeAsync().AsTask()));
        _stop.Dispose();
    }

    /// <summary>The account of typist <paramref name="k"/> of a run: registered now, so it is a member and may type.</summary>
    public static (string Email, string Password) Account(string runTag, int k) =>
        ($"typist-{runTag}-{k.ToString(CultureInfo.InvariantCulture)}@loadtest.example.com",
            $"Lt-{runTag}-{k.ToString(CultureInfo.InvariantCulture)}-pw1");

    private static async Task<string> AccountAsync(DiscussionApi api, string runTag, int k, CancellationToken ct)
    {
        var (email, password) = Account(runTag, k);
        await api.RegisterAsync(email, password, ct);
        return await api.LogInAsync(email, password, ct);
    }

    private async Task TypeAsync(HubConnection connection, int k, CancellationToken ct)
    {
        try
        {
            await Task.Delay(Interval * k / _connections.Count, ct);
            using var timer = new PeriodicTimer(Interval);
            var typing = true;
            do
            {
                try
                {
                    await connection.InvokeAsync(DiscussionHubContract.SetTyping, _threadId, (long?)null, typing, ct);
                    Interlocked.Increment(ref _signals);
                }
                catch (Exception ex) when (!ct.IsCancellationRequested)
                {
                    _errors.Add($"typist {k}: {ex.Message}");
                }

                typing = !typing;
            }
            while (await timer.WaitForNextTickAsync(ct));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopped with the phase.
        }
    }
}
