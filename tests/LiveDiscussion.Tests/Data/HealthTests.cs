using System.Net;
using LiveDiscussion.TestSupport;

namespace LiveDiscussion.Tests.Data;

public sealed class HealthTests : IDisposable
{
    private readonly TestApp _app = new(seedDemo: false);

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Live_and_ready_answer_healthy_while_the_database_answers()
    {
        using var client = _app.Anonymous();

        foreach (var path in new[] { "/health/live", "/health/ready" })
        {
            var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task Ready_says_unhealthy_when_the_database_file_is_gone_while_live_still_answers()
    {
        using var client = _app.Anonymous();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(_app.DatabasePath + suffix);
        }

        Directory.CreateDirectory(_app.DatabasePath);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/health/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        Directory.Delete(_app.DatabasePath);
    }
}
