using System.Xml;
using System.Xml.Linq;

namespace LiveDiscussion.Web.Features.Import;

public sealed record WxrAuthor(string Id, string Login, string DisplayName);

/// <summary>
/// Reads a WordPress export one element at a time: the channel's site address and authors, then each item as its own
/// small tree, so only one post with its comments is ever in memory however large the file is.
/// </summary>
internal sealed class WxrReader : IDisposable
{
    public static readonly string[] WpNamespaces =
        ["http://wordpress.org/export/1.0/", "http://wordpress.org/export/1.1/", "http://wordpress.org/export/1.2/"];

    private readonly XmlReader _reader;

    private WxrReader(XmlReader reader, XNamespace wp)
    {
        _reader = reader;
        Wp = wp;
    }

    public XNamespace Wp { get; }
    public string? Site { get; private set; }
    public Dictionary<string, WxrAuthor> AuthorsByLogin { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, WxrAuthor> AuthorsById { get; } = new(StringComparer.Ordinal);

    public static XmlReaderSettings Settings => new()
    {
        // WordPress never writes a DTD; refusing one is what keeps entity bombs and external entities (XXE) out.
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersFromEntities = 1024,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        CloseInput = false,
    };

    /// <summary>Opens the file at its root and checks that it is a WXR export, not another RSS dialect.</summary>
    public static WxrReader Open(Stream stream)
    {
        var reader = XmlReader.Create(stream, Settings);
        try
        {
            reader.MoveToContent();
            if (reader.NodeType != XmlNodeType.Element || reader.LocalName != "rss")
            {
                throw new InvalidDataException($"Not a WordPress export: the file's root is <{reader.Name}>, not <rss>.");
            }

            string? wp = null;
            while (reader.MoveToNextAttribute())
            {
                if (reader.Prefix == "xmlns" || reader.Name == "xmlns")
                {
                    wp ??= WpNamespaces.FirstOrDefault(ns => ns == reader.Value);
                }
            }

            reader.MoveToElement();
            return wp is null
                ? throw new InvalidDataException(
                    "Not a WordPress export: this RSS feed has no WordPress (WXR 1.0–1.2) namespace. Export the site with Tools → Export in WordPress.")
                : new WxrReader(reader, wp);
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }

    /// <summary>The items in file order. Authors and the site address, which WordPress writes before them, are read on the way.</summary>
    public IEnumerable<XElement> Items()
    {
        var r = _reader;
        r.Read();
        while (!r.EOF)
        {
            if (r.NodeType != XmlNodeType.Element || r.Depth != 2)
            {
                r.Read();
                continue;
            }

            if (r.LocalName == "item" && r.NamespaceURI == "")
            {
                yield return (XElement)XNode.ReadFrom(r);
            }
            else if (r.LocalName == "author" && r.NamespaceURI == Wp.NamespaceName)
            {
                AddAuthor((XElement)XNode.ReadFrom(r));
            }
            else if (r.LocalName == "base_site_url" && r.NamespaceURI == Wp.NamespaceName)
            {
                Site = r.ReadElementContentAsString().Trim();
            }
            else if (r.LocalName == "link" && r.NamespaceURI == "" && Site is null)
            {
                Site = r.ReadElementContentAsString().Trim();
            }
            else
            {
                r.Skip();
            }
        }
    }

    private void AddAuthor(XElement element)
    {
        var id = ((string?)element.Element(Wp + "author_id"))?.Trim();
        var login = (string?)element.Element(Wp + "author_login") ?? "";
        var name = (string?)element.Element(Wp + "author_display_name") is { Length: > 0 } display ? display : login;
        var author = new WxrAuthor(id ?? "", login, name);
        AuthorsByLogin[login] = author;
        if (!string.IsNullOrEmpty(id))
        {
            AuthorsById[id] = author;
        }
    }

    /// <summary>
    /// Reads the whole file once without keeping anything, so a truncated or broken file is refused before any of it
    /// is stored.
    /// </summary>
    public static void CheckWellFormed(Stream stream)
    {
        using var reader = XmlReader.Create(stream, Settings);
        while (reader.Read())
        {
        }
    }

    /// <summary>Turns the parser's complaint into one a blogger can act on.</summary>
    public static InvalidDataException Explain(XmlException e) =>
        e.Message.Contains("DTD", StringComparison.OrdinalIgnoreCase)
            ? new InvalidDataException(
                "Refused: the file declares a DTD (<!DOCTYPE ...>). WordPress exports never do, and DTDs can carry entity-expansion bombs or read other files (XXE).", e)
            : new InvalidDataException(
                $"Not a readable WordPress export: the XML is broken or cut short at line {e.LineNumber}, position {e.LinePosition} ({e.Message}). Nothing was imported.", e);

    public void Dispose() => _reader.Dispose();
}
