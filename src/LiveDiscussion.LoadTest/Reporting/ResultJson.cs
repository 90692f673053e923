using System.Text.Json;
using System.Text.Json.Serialization;

namespace LiveDiscussion.LoadTest.Reporting;

/// <summary>Writes <c>--json</c> files: camelCase, indented, no nulls (a run without a baseline has no baseline key).</summary>
public static class ResultJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static async Task WriteAsync(string path, ScenarioResult result, CancellationToken ct)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        await using var file = File.Create(path);
        await JsonSerializer.SerializeAsync(file, result, Options, ct);
    }
}
