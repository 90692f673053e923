using System.Text.RegularExpressions;
using LiveDiscussion.TestSupport;

namespace LiveDiscussion.Tests.Security;

/// <summary>The nginx configuration of docker-compose.yml, read as nginx reads it (no nginx runs here).</summary>
public sealed partial class ProxyConfigTests
{
    [Fact]
    public void The_proxys_access_log_never_writes_a_query_string_so_never_a_hub_clients_access_token()
    {
        var config = File.ReadAllText(Path.Combine(Repository.Root, "src", "proxy", "nginx.conf"));
        var withoutComments = string.Join('\n', config.Split('\n').Select(line => line.Split('#')[0]));
        var formats = LogFormat().Matches(withoutComments).ToDictionary(m => m.Groups["name"].Value, m => m.Groups["format"].Value);

        var logs = AccessLog().Matches(withoutComments).Select(m => m.Groups["format"].Value).ToList();

        // Without an access_log naming its format, nginx logs in "combined", whose $request holds the query string.
        Assert.NotEmpty(logs);
        Assert.All(logs, format =>
        {
            Assert.True(formats.ContainsKey(format), $"access_log uses \"{format}\", which this file does not define");
            Assert.DoesNotMatch(QueryVariables(), formats[format]);
        });
    }


    [GeneratedRegex(@"log_format\s+(?<name>\S+)\s+(?<format>[^;]*);")]
    private static partial Regex LogFormat();

    [GeneratedRegex(@"access_log\s+\S+(\s+(?<format>[^\s;]+))?[^;]*;")]
    private static partial Regex AccessLog();

    // $request is the whole request line; $request_uri, $args, $query_string and $arg_* are the query string or parts of it.
    [GeneratedRegex(@"\$(request|request_uri|args|query_string|is_args|arg_\w+)\b|\$\{(request|request_uri|args|query_string)\}")]
    private static partial Regex QueryVariables();
}
