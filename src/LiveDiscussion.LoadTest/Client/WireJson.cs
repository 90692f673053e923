using System.Text.Json;
using System.Text.Json.Serialization;

namespace LiveDiscussion.LoadTest.Client;

/// <summary>The JSON shape of the server's API and hub: camelCase, enums as names (numbers are read too).</summary>
public static class WireJson
{
    public static readonly JsonSerializerOptions Options = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.Converters.Add(new JsonStringEnumConverter());
        return options;
    }
}
