using System.Net;
using System.Net.Sockets;

namespace LiveDiscussion.TestSupport;

/// <summary>
/// Loopback ports for servers a test stops and starts again on the same address (Redis, a killed node, a restarted
/// load-test node). Binding port 0 gives one from the kernel's ephemeral range, which the kernel may hand to some other
/// outgoing connection while the server is down, and then it cannot bind again; below that range the kernel hands out
/// no port of its own accord.
/// </summary>
public static class FreePort
{
    private const int First = 20_000;
    private const int EphemeralRangeStart = 32_768;

    public static int Next()
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var port = Random.Shared.Next(First, EphemeralRangeStart);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // Taken: try another.
            }
        }

        throw new InvalidOperationException($"No free loopback port between {First} and {EphemeralRangeStart}.");
    }

    public static async Task WaitUntilListeningAsync(int port, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }
}
