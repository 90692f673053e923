using System.Diagnostics;
using System.Text.RegularExpressions;
using LiveDiscussion.TestSupport;

namespace LiveDiscussion.Tests.Security;

/// <summary>
/// The cluster of docker-compose.yml as docker-compose resolves it (no Docker engine runs here): three nodes on
/// PostgreSQL with no volume of their own, and no password anywhere unless the operator gives one.
/// </summary>
public sealed partial class ComposeFileTests
{
    [Fact]
    public async Task The_cluster_is_three_nodes_on_postgres_without_volumes_and_holds_no_password_of_its_own()
    {
        var resolved = await ResolvedWithoutSecretsAsync();
        var services = Services(resolved);

        Assert.Equal(["postgres", "proxy", "redis", "web-a", "web-b", "web-c"], services.Keys.Order());
        foreach (var node in new[] { "web-a", "web-b", "web-c" })
        {
            var service = services[node];
            Assert.Contains("Database__Provider: Postgres", service);
            Assert.Contains("Host=postgres;", service);
            Assert.DoesNotContain("volumes:", service);
            Assert.Matches(@"condition: service_healthy", service);
        }

        Assert.Contains("postgres-data:/var/lib/postgresql/data", services["postgres"]);
        Assert.Contains("server web-c:8080;", await File.ReadAllTextAsync(Path.Combine(Repository.Root, "src", "proxy", "nginx.conf")));

        // With no secrets in the environment, every secret resolves to nothing: the file itself supplies none.
        Assert.Matches(@"POSTGRES_PASSWORD: ''", services["postgres"]);
        Assert.All(new[] { "web-a", "web-b", "web-c" }, node =>
        {
            Assert.Matches(new Regex("Password=$", RegexOptions.Multiline), services[node]);
            Assert.Matches(@"Redis__MessageKey: ''", services[node]);
            Assert.Matches(@"Admin__Password: ''", services[node]);
        });
        var file = await File.ReadAllTextAsync(Path.Combine(Repository.Root, "docker-compose.yml"));
        Assert.DoesNotMatch(DefaultedVariable(), file);
    }

    private static async Task<string> ResolvedWithoutSecretsAsync()
    {
        var start = new ProcessStartInfo("docker-compose", ["-f", "docker-compose.yml", "config"])
        {
            WorkingDirectory = Repository.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var secret in new[] { "POSTGRES_PASSWORD", "REDIS_MESSAGE_KEY", "ADMIN_EMAIL", "ADMIN_PASSWORD", "DATAPROTECTION_CERTIFICATE_PASSWORD" })
        {
            start.Environment.Remove(secret);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(process.ExitCode == 0, $"docker-compose config failed: {await errors}");
        return await output;
    }

    /// <summary>Each service's block of the resolved file, by name.</summary>
    private static Dictionary<string, string> Services(string resolved)
    {
        var section = resolved[(resolved.IndexOf("\nservices:\n", StringComparison.Ordinal) + 1)..];
        var end = TopLevelKey().Match(section, "services:\n".Length);
        if (end.Success)
        {
            section = section[..end.Index];
        }

        var starts = ServiceStart().Matches(section);
        return starts.Select((match, i) => (match, next: i + 1 < starts.Count ? starts[i + 1].Index : section.Length))
            .ToDictionary(s => s.match.Groups["name"].Value, s => section[s.match.Index..s.next]);
    }


    // ${NAME:-something}: a value the file would use when the operator gives none.
    [GeneratedRegex(@"\$\{[A-Z_]+:-[^}]+\}")]
    private static partial Regex DefaultedVariable();

    [GeneratedRegex(@"^  (?<name>[a-z][\w-]*):\n", RegexOptions.Multiline)]
    private static partial Regex ServiceStart();

    [GeneratedRegex(@"^\S", RegexOptions.Multiline)]
    private static partial Regex TopLevelKey();
}
