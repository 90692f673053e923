using System.Text;
using System.Text.Json;

namespace LiveDiscussion.LoadTest.Client;

/// <summary>
/// What a prerendered Blazor page hands its circuit, read from the page's HTML comments as blazor.web.js reads them:
/// each interactive-server root component's start marker (<c>&lt;!--Blazor:{"type":"server",...,"descriptor":...}--&gt;</c>,
/// kept as the JSON the server wrote, since the server checks it back) and the persisted component state
/// (<c>&lt;!--Blazor-Server-Component-State:BASE64--&gt;</c>).
/// </summary>
public sealed record PrerenderedPage(IReadOnlyList<string> ServerMarkers, string? ServerState)
{
    private const string MarkerPrefix = "Blazor:";
    private const string StatePrefix = "Blazor-Server-Component-State:";

    public static PrerenderedPage Parse(string html)
    {
        var markers = new List<string>();
        string? state = null;
        var at = 0;
        while ((at = html.IndexOf("<!--", at, StringComparison.Ordinal)) >= 0)
        {
            var end = html.IndexOf("-->", at + 4, StringComparison.Ordinal);
            if (end < 0)
            {
                break;
            }

            var comment = html.AsSpan(at + 4, end - at - 4).Trim();
            at = end + 3;
            if (comment.StartsWith(StatePrefix, StringComparison.Ordinal))
            {
                state = comment[StatePrefix.Length..].ToString();
            }
            else if (comment.StartsWith(MarkerPrefix, StringComparison.Ordinal)
                && comment.IndexOf('{') is var brace and >= 0
                && IsServerStartMarker(comment[brace..]))
            {
                markers.Add(comment[brace..].ToString());
            }
        }

        return new PrerenderedPage(markers, state);
    }

    /// <summary>
    /// The first <c>UpdateRootComponents</c> batch blazor.web.js sends: every server component added, numbered from 1
    /// in page order as its SSR component id.
    /// </summary>
    public string AddOperationsJson(int batchId = 1)
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("batchId", batchId);
            json.WriteStartArray("operations");
            for (var i = 0; i < ServerMarkers.Count; i++)
            {
                json.WriteStartObject();
                json.WriteString("type", "add");
                json.WriteNumber("ssrComponentId", i + 1);
                json.WritePropertyName("marker");
                json.WriteRawValue(ServerMarkers[i]);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>End markers carry only a prerender id; start markers say their type (server, webassembly or auto).</summary>
    private static bool IsServerStartMarker(ReadOnlySpan<char> json)
    {
        try
        {
            using var marker = JsonDocument.Parse(json.ToString());
            return marker.RootElement.ValueKind == JsonValueKind.Object
                && marker.RootElement.TryGetProperty("type", out var type)
                && type.ValueKind == JsonValueKind.String
                && type.GetString() == "server";
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
