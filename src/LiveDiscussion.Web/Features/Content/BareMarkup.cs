using System.Collections.Frozen;

namespace LiveDiscussion.Web.Features.Content;

/// <summary>
/// Recognises HTML that is nothing but text and a few well-nested tags without attributes (what Markdig makes of most
/// replies: paragraphs, line breaks, emphasis, lists, quotes) and writes it exactly as the sanitizer would, without the
/// sanitizer.
/// </summary>
/// <remarks>
/// The sanitizer parses every body into a DOM and serializes it again, the largest single cost of storing a reply. With
/// no attribute there is no URL and no event handler, and with tags nested as a browser's parser leaves them, the
/// sanitizer could only give back its input, save for how its serializer spells a few things (<c>&lt;br&gt;</c>, a
/// plain <c>"</c>). Anything else (an attribute, another tag or entity, a nesting the parser would repair, a character
/// it would change) is declined and goes through the sanitizer.
/// </remarks>
public sealed class BareMarkup
{
    private static readonly string[] Phrasing = ["br", "em", "strong", "del", "ins", "mark", "sub", "sup", "code"];

    private static readonly string[] Blocks = ["p", "hr", "pre", "blockquote", "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6"];

    private static readonly string[] Entities = ["&amp;", "&lt;", "&gt;", "&quot;"];

    private readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> _phrasing;
    private readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> _blocks;

    /// <param name="allowedTags">The sanitizer's allowed tags: a tag it would remove is always declined.</param>
    public BareMarkup(IEnumerable<string> allowedTags)
    {
        var allowed = allowedTags.ToHashSet(StringComparer.OrdinalIgnoreCase);
        _phrasing = Phrasing.Where(allowed.Contains).ToFrozenSet().GetAlternateLookup<ReadOnlySpan<char>>();
        _blocks = Blocks.Where(allowed.Contains).ToFrozenSet().GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>
    /// <paramref name="html"/> as the sanitizer would write it, when it is bare markup; otherwise false, and the caller
    /// sanitizes it.
    /// </summary>
    public bool TryWrite(string html, out string written)
    {
        written = html;
        var open = new Stack<string>();
        var respell = false;
        for (var i = 0; i < html.Length; i++)
        {
            var c = html[i];
            var accepted = c switch
            {
                '<' => TrySkipTag(html, ref i, open, ref respell),
                '&' => TrySkipEntity(html, ref i, ref respell),
                '>' or '\u00A0' => false,
                < ' ' => c == '\n',
                >= '\u007F' and <= '\u009F' => false,
                _ when char.IsHighSurrogate(c) => i + 1 < html.Length && char.IsLowSurrogate(html[++i]),
                _ => !char.IsLowSurrogate(c),
            };
            if (!accepted)
            {
                return false;
            }
        }

        if (open.Count > 0)
        {
            return false;
        }

        if (respell)
        {
            written = html.Replace("<br />", "<br>").Replace("<hr />", "<hr>").Replace("&quot;", "\"");
        }

        return true;
    }

    private bool TrySkipTag(string html, ref int i, Stack<string> open, ref bool respell)
    {
        var j = i + 1;
        var closing = j < html.Length && html[j] == '/';
        if (closing)
        {
            j++;
        }

        var nameStart = j;
        while (j < html.Length && (char.IsAsciiLetterLower(html[j]) || (j > nameStart && char.IsAsciiDigit(html[j]))))
        {
            j++;
        }

        var name = html.AsSpan(nameStart, j - nameStart);
        var isBlock = _blocks.TryGetValue(name, out var tag);
        if (!isBlock && !_phrasing.TryGetValue(name, out tag))
        {
            return false;
        }

        var isVoid = name is "br" or "hr";
        if (isVoid && html.AsSpan(j).StartsWith(" />"))
        {
            j += 2;
            respell = true;
        }

        if (j >= html.Length || html[j] != '>' || (isVoid && closing))
        {
            return false;
        }

        i = j;
        if (closing)
        {
            return open.TryPop(out var innermost) && innermost == tag;
        }

        if (isBlock && !MayOpenBlock(name, open.TryPeek(out var parent) ? parent : null, open))
        {
            return false;
        }

        // The parser drops a newline right after <pre>; the sanitizer's output would lose it.
        if (name is "pre" && j + 1 < html.Length && html[j + 1] == '\n')
        {
            return false;
        }

        if (!isVoid)
        {
            open.Push(tag!);
        }

        return true;
    }

    /// <summary>
    /// A block inside a paragraph, a heading or inline markup, or a list item outside a list, is one the parser closes
    /// or moves: the DOM would not be what the tags say.
    /// </summary>
    private bool MayOpenBlock(ReadOnlySpan<char> name, string? parent, Stack<string> open)
    {
        if (name is "li" ? parent is not ("ul" or "ol") : parent is "ul" or "ol")
        {
            return false;
        }

        foreach (var element in open)
        {
            if (element is "p" || element[0] == 'h' || _phrasing.Contains(element))
            {
                return false;
            }
        }

        return true;
    }

    private static bool TrySkipEntity(string html, ref int i, ref bool respell)
    {
        var rest = html.AsSpan(i);
        foreach (var entity in Entities)
        {
            if (rest.StartsWith(entity, StringComparison.Ordinal))
            {
                respell |= entity == "&quot;";
                i += entity.Length - 1;
                return true;
            }
        }

        return false;
    }
}
