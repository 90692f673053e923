using System.Net;

namespace LiveDiscussion.Web.Security;

/// <summary>
/// Who may talk to this site from a browser on another origin, who may frame its pages, and which proxies' forwarded
/// headers count. Read once at start from configuration; a value that is not what its key asks for stops the start
/// with the key's name, because a half-understood security setting is worse than none.
/// </summary>
public sealed record SecurityOptions(
    IReadOnlySet<string> AllowedOrigins,
    IReadOnlyList<string> FrameAncestors,
    IReadOnlyList<IPAddress> KnownProxies,
    IReadOnlyList<IPNetwork> KnownNetworks)
{
    public const string AllowedOriginsKey = "Security:AllowedOrigins";
    public const string FrameAncestorsKey = "Security:FrameAncestors";
    public const string KnownProxiesKey = "ForwardedHeaders:KnownProxies";
    public const string KnownNetworksKey = "ForwardedHeaders:KnownNetworks";

    public bool TrustsAProxy => KnownProxies.Count > 0 || KnownNetworks.Count > 0;

    public static SecurityOptions From(IConfiguration configuration) => new(
        Values(configuration, AllowedOriginsKey).Select(value => OriginOf(value, AllowedOriginsKey)).ToHashSet(StringComparer.Ordinal),
        Values(configuration, FrameAncestorsKey).Select(value => OriginOf(value, FrameAncestorsKey)).Distinct().ToList(),
        Values(configuration, KnownProxiesKey).Select(value => IPAddress.TryParse(value, out var address)
            ? address
            : throw Invalid(KnownProxiesKey, value, "an IP address such as 10.0.0.5")).ToList(),
        Values(configuration, KnownNetworksKey).Select(value => IPNetwork.TryParse(value, out var network)
            ? network
            : throw Invalid(KnownNetworksKey, value, "a network in CIDR notation such as 172.18.0.0/16")).ToList());

    /// <summary>
    /// An origin as browsers write it in the Origin header (<c>scheme://host[:port]</c>, lower case, the default port
    /// left out), or null when <paramref name="value"/> is not an http(s) origin.
    /// </summary>
    public static string? Normalize(string? value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri)
            || uri.Scheme is not ("http" or "https")
            || uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
        {
            return null;
        }

        return uri.IsDefaultPort ? $"{uri.Scheme}://{uri.IdnHost}" : $"{uri.Scheme}://{uri.IdnHost}:{uri.Port}";
    }

    // Both a list (Key:0, Key:1, as environment variables Key__0) and one value holding several, separated by spaces,
    // commas or semicolons, as a single environment variable is easier to write.
    private static IEnumerable<string> Values(IConfiguration configuration, string key)
    {
        var section = configuration.GetSection(key);
        return section.GetChildren().Select(child => child.Value ?? "").Append(section.Value ?? "").SelectMany(value => value.Split([' ', ',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    // Validated strictly: a frame ancestor goes into the Content-Security-Policy header as it is written here, so
    // anything but an origin could add directives of its own.
    private static string OriginOf(string value, string key) =>
        Normalize(value) ?? throw Invalid(key, value, "an origin such as https://example.com (scheme, host and port only)");

    private static InvalidOperationException Invalid(string key, string value, string expected) =>
        new($"{key}: \"{value}\" is not {expected}.");
}
