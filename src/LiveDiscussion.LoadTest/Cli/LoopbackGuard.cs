using System.Net;

namespace LiveDiscussion.LoadTest.Cli;

/// <summary>
/// Load is only aimed at this machine unless the operator says otherwise: a benchmark pointed at someone else's
/// server by mistake is an attack on it.
/// </summary>
public static class LoopbackGuard
{
    public static bool IsLoopback(Uri url) =>
        url.IsLoopback
        || url.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(url.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

    /// <summary>Kestrel's <c>--urls</c> form: several URLs separated by ';', where "*", "+" and "0.0.0.0" mean every interface.</summary>
    public static bool AreAllLoopback(string urls) =>
        urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .All(url => Uri.TryCreate(url, UriKind.Absolute, out var uri) && IsLoopback(uri));
}
