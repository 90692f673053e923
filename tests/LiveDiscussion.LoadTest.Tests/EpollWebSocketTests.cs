using System.Net.WebSockets;
using System.Text;
using LiveDiscussion.LoadTest.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace LiveDiscussion.LoadTest.Tests;

/// <summary>
/// The raw watchers' own WebSocket over HTTP/1.1 against Kestrel's: what ASP.NET Core's WebSocket sends must arrive
/// whole and in order however it is cut into frames and reads, and what the tool sends must be read by the server.
/// </summary>
public sealed class EpollWebSocketTests : IAsyncLifetime
{
    private static readonly string Large = string.Concat(Enumerable.Range(0, 20_000).Select(i => $"{i % 10}abcdefgh|"));

    private readonly WebApplication _server = BuildServer();

    public Task InitializeAsync() => _server.StartAsync();

    public async Task DisposeAsync()
    {
        await _server.StopAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Text_in_fragments_small_and_large_frames_and_an_echo_arrive_whole_and_in_order_then_the_close_is_reported()
    {
        var received = new Receiver();
        using var socket = new EpollWebSocket(new Uri($"{Ws}/script"), accessToken: "token-1");
        await socket.ConnectAsync(received, CancellationToken.None);

        await socket.SendAsync(Encoding.UTF8.GetBytes("echo: caf\u00e9 " + Large), CancellationToken.None);

        var error = await received.Closed.Task.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Null(error);
        Assert.Equal("Bearer token-1|one two three|" + Large + "|caf\u00e9 " + Large, received.Text);
    }

    [Fact]
    public async Task A_refused_upgrade_fails_the_connect_with_the_servers_status()
    {
        using var socket = new EpollWebSocket(new Uri($"{Ws}/refuse"), accessToken: null);

        var refusal = await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(new Receiver(), CancellationToken.None));

        Assert.Contains("401", refusal.Message);
    }

    [Fact]
    public async Task A_connection_dropped_without_a_close_is_reported_as_an_error()
    {
        var received = new Receiver();
        using var socket = new EpollWebSocket(new Uri($"{Ws}/drop"), accessToken: null);
        await socket.ConnectAsync(received, CancellationToken.None);
        await UntilAsync(() => received.Text == "before the drop|");
        await socket.SendAsync("read it"u8.ToArray(), CancellationToken.None);

        var error = await received.Closed.Task.WaitAsync(TimeSpan.FromSeconds(20));

        // A reset (recv fails) or an end of stream (no close frame): either way an error, not a clean close.
        Assert.NotNull(error);
        Assert.Equal("before the drop|", received.Text);
    }

    private static async Task UntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting for the text");
            await Task.Delay(20);
        }
    }

    private string Ws => _server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
        .Single().Replace("http://", "ws://");

    private static WebApplication BuildServer()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.UseWebSockets();
        app.Map("/refuse", context =>
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Task.CompletedTask;
        });
        app.Map("/drop", async context =>
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            await socket.SendAsync("before the drop|"u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);
            // Only once the client says it read that: a reset makes the kernel drop whatever it had not read yet.
            await socket.ReceiveAsync(new byte[64], CancellationToken.None);
            context.Abort();
        });
        app.Map("/script", async context =>
        {
            var authorization = context.Request.Headers.Authorization.ToString();
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            await SendText(socket, authorization + "|");
            foreach (var part in new[] { "one ", "two ", "three|" })
            {
                await socket.SendAsync(Encoding.UTF8.GetBytes(part), WebSocketMessageType.Text, part.EndsWith('|'), CancellationToken.None);
            }

            // Over 64 KB: the 8-byte length form, read across many receives.
            await SendText(socket, Large + "|");

            var echoed = new MemoryStream();
            var buffer = new byte[4096];
            WebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(buffer, CancellationToken.None);
                echoed.Write(buffer, 0, result.Count);
            }
            while (!result.EndOfMessage);

            await SendText(socket, Encoding.UTF8.GetString(echoed.ToArray())["echo: ".Length..]);
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        });
        return app;
    }

    private static Task SendText(WebSocket socket, string text) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    private sealed class Receiver : IRawSocketReceiver
    {
        private readonly MemoryStream _text = new();

        public TaskCompletionSource<Exception?> Closed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Text
        {
            get
            {
                lock (_text)
                {
                    return Encoding.UTF8.GetString(_text.ToArray());
                }
            }
        }

        public void OnText(ReadOnlySpan<byte> text)
        {
            lock (_text)
            {
                _text.Write(text);
            }
        }

        public void OnClosed(Exception? error) => Closed.TrySetResult(error);
    }
}
