using System.Security.Cryptography;
using System.Text;

namespace LiveDiscussion.Web.Realtime.ScaleOut;

/// <summary>
/// Proves that a message on the Redis channel comes from a node holding <c>Redis:MessageKey</c>: each message is its
/// HMAC-SHA256 (32 bytes) followed by its JSON. Messages carry rendered HTML that pages insert as it is, so anyone else
/// who can publish to that Redis (a shared instance, a leaked password) could otherwise put markup into every page.
/// A captured message can be sent again; it then says only what a node already said, and viewers drop repeats by seq.
/// </summary>
public sealed class NodeMessageSeal
{
    public const string ConfigurationKey = "Redis:MessageKey";
    public const int MinimumKeyLength = 32;
    private const int MacLength = HMACSHA256.HashSizeInBytes;

    private readonly byte[] _key;

    public NodeMessageSeal(string key)
    {
        if (key.Trim().Length < MinimumKeyLength)
        {
            throw new InvalidOperationException(
                $"{ConfigurationKey} must be at least {MinimumKeyLength} characters long (make one with: openssl rand -base64 32).");
        }

        _key = Encoding.UTF8.GetBytes(key.Trim());
    }

    public byte[] Seal(ReadOnlySpan<byte> json)
    {
        var sealedMessage = new byte[MacLength + json.Length];
        HMACSHA256.HashData(_key, json, sealedMessage.AsSpan(0, MacLength));
        json.CopyTo(sealedMessage.AsSpan(MacLength));
        return sealedMessage;
    }

    /// <summary>The message's JSON when its MAC is right; false for a message too short or with a wrong or missing MAC.</summary>
    public bool TryOpen(ReadOnlyMemory<byte> sealedMessage, out ReadOnlyMemory<byte> json)
    {
        json = default;
        if (sealedMessage.Length < MacLength)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[MacLength];
        HMACSHA256.HashData(_key, sealedMessage.Span[MacLength..], expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, sealedMessage.Span[..MacLength]))
        {
            return false;
        }

        json = sealedMessage[MacLength..];
        return true;
    }
}
