using System.Collections.Concurrent;
using System.Text;
using LiveDiscussion.Contracts;
using LiveDiscussion.LoadTest.Client;
using LiveDiscussion.LoadTest.Measuring;

namespace LiveDiscussion.LoadTest.Tests;

/// <summary>
/// What a browser that lies does to the real node: forged render acknowledgements and JS interop results change
/// nothing, and a message over the circuit's limit closes that circuit alone, logged with the limit it broke.
/// </summary>
public sealed class ForgedCircuitInputTests(RealNode node) : IClassFixture<RealNode>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Forged_acknowledgements_and_interop_results_change_nothing_and_an_oversized_message_closes_only_its_circuit()
    {
        await node.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var ct = timeout.Token;
        using var http = new SharedHttp(new Uri(node.Url));
        var api = new DiscussionApi(http.Api);
        await api.SignInAsync(RealNode.Email, RealNode.Password, ct);
        var (threadId, slug) = await api.StartThreadWithSlugAsync("Forged input", "Who sends what.", ct);
        var renders = new Renders();
        var shared = new CircuitConnection.Shared(http, new ErrorLog()) { Renders = renders };
        using var ackLiar = new CircuitConnection(0, shared);
        using var interopLiar = new CircuitConnection(1, shared);
        using var garbler = new CircuitConnection(2, shared);
        using var honest = new CircuitConnection(3, shared);
        var page = new Uri(http.BaseUrl, $"t/{threadId}/{slug}");
        foreach (var circuit in new[] { ackLiar, interopLiar, garbler, honest })
        {
            await circuit.StartAsync(page, ct);
        }

        // An answer to a JS call never made is ignored. An answer that cannot be read ends the circuit that sent it, and
        // an acknowledgement of a batch never sent may (Blazor fails that circuit when a batch is still unacknowledged):
        // either way, only that circuit.
        interopLiar.InvokeHub("EndInvokeJSFromDotNet", 424_242L, true, "[424242,true,[1,2,3]]");
        garbler.InvokeHub("EndInvokeJSFromDotNet", 7L, true, "not json at all");
        ackLiar.InvokeHub("OnRenderCompleted", 987_654L, null);
        await PostAsync(api, threadId, 1, ct);

        await WaitUntilAsync(() => renders.Saw(1, 1) && renders.Saw(3, 1) && !garbler.IsAlive && (renders.Saw(0, 1) || !ackLiar.IsAlive),
            () => $"reply 1 rendered at every circuit but the garbler's (ack liar {Describe(ackLiar, 0)}; interop liar "
                + $"{Describe(interopLiar, 1)}; garbler {Describe(garbler, 2)}; honest {Describe(honest, 3)}; errors: "
                + string.Join(" | ", shared.Errors.Samples) + ")");
        Assert.True(interopLiar.IsAlive && honest.IsAlive);

        var oversized = new string('x', 200 * 1024);
        interopLiar.InvokeHub("DispatchBrowserEvent", oversized, oversized);
        await WaitUntilAsync(() => !interopLiar.IsAlive, "the circuit that sent 400 KB is closed");
        await PostAsync(api, threadId, 2, ct);

        await WaitUntilAsync(() => renders.Saw(3, 2), "the honest circuit goes on");
        Assert.True(honest.IsAlive);
        Assert.False(renders.Saw(1, 2));
        var logged = node.Log().Split('\n').Count(line => line.Contains("The maximum message size of 131072B was exceeded", StringComparison.Ordinal));
        Assert.True(logged == 1, $"logged {logged} times:\n{node.Log()}");

        string Describe(CircuitConnection circuit, int number) => $"alive {circuit.IsAlive}, rendered {renders.Saw(number, 1)}";
    }

    private static async Task PostAsync(DiscussionApi api, long threadId, int number, CancellationToken ct)
    {
        var problem = await api.PostReplyAsync(threadId, new NewReplyRequest(null, $"Forged input reply #{number}"), ct);
        Assert.Null(problem);
    }

    private static Task WaitUntilAsync(Func<bool> condition, string what) => WaitUntilAsync(condition, () => what);

    private static async Task WaitUntilAsync(Func<bool> condition, Func<string> what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"not within {Patience.TotalSeconds} s: {what()}");
            await Task.Delay(50);
        }
    }

    private sealed class Renders : ICircuitRenders
    {
        private readonly ConcurrentDictionary<(int, int), bool> _seen = new();

        public ReadOnlySpan<byte> Prefix => "Forged input reply #"u8;

        public void OnRendered(int circuit, int index, long arrival) => _seen[(circuit, index)] = true;

        public bool Saw(int circuit, int index) => _seen.ContainsKey((circuit, index));
    }
}
