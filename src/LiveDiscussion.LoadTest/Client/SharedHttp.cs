using System.Net;

namespace LiveDiscussion.LoadTest.Client;

/// <summary>
/// One socket handler for the API calls and every watcher's WebSocket handshake, so thousands of watchers share one
/// set of connection settings instead of each building a handler of its own.
/// </summary>
public sealed class SharedHttp : IDisposable
{
    private readonly SocketsHttpHandler _handler = new()
    {
        ConnectTimeout = TimeSpan.FromSeconds(15),
        PooledConnectionLifetime = TimeSpan.FromMinutes(10),
        MaxConnectionsPerServer = int.MaxValue,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
    };

    public SharedHttp(Uri baseUrl)
    {
        // A base ending in '/' keeps a path prefix (a node served under /discuss/) when relative paths are resolved.
        BaseUrl = baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");
        Invoker = new HttpMessageInvoker(_handler, disposeHandler: false);
        Api = new HttpClient(_handler, disposeHandler: false) { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri BaseUrl { get; }

    public HttpMessageInvoker Invoker { get; }

    public HttpClient Api { get; }

    public void Dispose()
    {
        Api.Dispose();
        Invoker.Dispose();
        _handler.Dispose();
    }
}
