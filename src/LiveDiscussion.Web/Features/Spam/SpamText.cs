using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace LiveDiscussion.Web.Features.Spam;

/// <summary>What the spam checks read from a body, worked out on the poster's thread before the reply queues.</summary>
public static partial class SpamText
{
    /// <summary>Shorter normalised bodies without a link ("Thanks!", "+1") are common words, never counted as a repeat.</summary>
    public const int RepeatMinLength = 20;

    /// <summary>
    /// The links a reader can follow: the anchors of the rendered, sanitized HTML, so Markdown links, autolinked bare
    /// addresses and <c>&lt;…&gt;</c> links each count once, however the source spells them.
    /// </summary>
    public static int CountLinks(string bodyHtml) => Anchor().Count(bodyHtml);

    /// <summary>
    /// The body as the repeat check compares it: Unicode compatibility forms folded, lower case, every run of
    /// whitespace one space, trimmed.
    /// </summary>
    public static string Normalise(string body) =>
        Whitespace().Replace(body.Normalize(NormalizationForm.FormKC).ToLower(CultureInfo.InvariantCulture), " ").Trim();

    /// <summary>
    /// 64 bits of the SHA-256 of the normalised body: a column small to index, where two different texts meeting by
    /// chance within minutes is out of reach. Null for a short body without links, which is never held as a repeat.
    /// </summary>
    public static long? RepeatHash(string body, string bodyHtml)
    {
        var normalised = Normalise(body);
        if (normalised.Length < RepeatMinLength && !Anchor().IsMatch(bodyHtml))
        {
            return null;
        }

        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(normalised), hash);
        return BinaryPrimitives.ReadInt64LittleEndian(hash);
    }

    [GeneratedRegex(@"<a\s", RegexOptions.IgnoreCase)]
    private static partial Regex Anchor();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
