using System.Net;
using System.Net.WebSockets;

namespace LiveDiscussion.LoadTest.Client;

/// <summary>
/// One socket handler for the API calls and every watcher's WebSocket handshake, so thousands of watchers share one
/// set of connection settings instead of each building a handler of its own. Over HTTP/2 they also share its
/// connections: each WebSocket is a stream, and the handler opens another connection when the server's stream limit
/// per connection is reached.
/// </summary>
public sealed class SharedHttp : IDisposable
{
    private readonly SocketsHttpHandler _handler;
    private readonly bool _overHttp2;

    public SharedHttp(Uri baseUrl, bool overHttp2 = false)
    {
        _overHttp2 = overHttp2;
        _handler = new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(15),
            PooledConnectionLifetime = TimeSpan.FromMinutes(10),
            MaxConnectionsPerServer = int.MaxValue,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            EnableMultipleHttp2Connections = true,
        };

        // A base ending in '/' keeps a path prefix (a node served under /discuss/) when relative paths are resolved.
        BaseUrl = baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");
        Invoker = new HttpMessageInvoker(_handler, disposeHandler: false);
        Api = new HttpClient(_handler, disposeHandler: false) { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
        if (overHttp2)
        {
            // Exact: over cleartext only prior knowledge reaches HTTP/2, and a silent fall back to HTTP/1.1 would
            // measure something else.
            Api.DefaultRequestVersion = HttpVersion.Version20;
            Api.DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact;
        }
    }

    public Uri BaseUrl { get; }

    public bool OverHttp2 => _overHttp2;

    public HttpMessageInvoker Invoker { get; }

    public HttpClient Api { get; }

    /// <summary>A watcher's WebSocket handshake goes out in this handler's HTTP version.</summary>
    public void Prepare(ClientWebSocketOptions options)
    {
        if (_overHttp2)
        {
            options.HttpVersion = HttpVersion.Version20;
            options.HttpVersionPolicy = HttpVersionPolicy.RequestVersionExact;
        }
    }

    public void Dispose()
    {
        Api.Dispose();
        Invoker.Dispose();
        _handler.Dispose();
    }
}
