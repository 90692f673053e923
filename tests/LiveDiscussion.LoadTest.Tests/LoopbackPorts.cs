using System.Net;
using System.Net.Sockets;

namespace LiveDiscussion.LoadTest.Tests;

/// <summary>
/// Loopback ports for test servers that restart on the same address. A port from the kernel's ephemeral range (what
/// binding port 0 gives) can be handed to another test's outgoing connection or server while the restarted one is
/// down, and then it cannot bind again; below that range the kernel hands out no port of its own accord.
/// </summary>
public static class LoopbackPorts
{
    private const int First = 20_000;
    private const int EphemeralRangeStart = 32_768;

    public static int Free()
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
}
