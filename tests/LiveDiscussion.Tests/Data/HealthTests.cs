using System.Net;
using LiveDiscussion.TestSupport;

namespace LiveDiscussion.Tests.Data;

public sealed class HealthTests(EmptyApp app) : IClassFixture<EmptyApp>
{
    [Fact]
    public async Task Live_and_ready_answer_healthy_while_the_database_answers()
    {
        using var client = app.Anonymous();

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
        // An app of its own: the test takes its database away.
        using var ownApp = new TestApp(seedDemo: false);
        using var client = ownApp.Anonymous();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(ownApp.DatabasePath + suffix);
        }

        Directory.CreateDirectory(ownApp.DatabasePath);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/health/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        Directory.Delete(ownApp.DatabasePath);
    }
}
