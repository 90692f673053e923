using System.Diagnostics;
using System.Net;
using System.Text;
using LiveDiscussion.TestSupport;
using LiveDiscussion.Web.Features.Import;

namespace LiveDiscussion.Tests.Import;

/// <summary>The importer as admins reach it: over HTTP, and as a command that needs no running server.</summary>
public sealed class ImportSurfacesTests(EmptyApp app) : IClassFixture<EmptyApp>
{
    private static readonly string Demo = Path.Combine(AppContext.BaseDirectory, "Import", "Fixtures", "wordpress-new-media-activism.wxr");

    [Fact]
    public async Task An_admin_uploads_an_export_and_gets_the_report_and_importing_again_adds_nothing()
    {
        using var admin = await app.AdminAsync();

        var first = await (await admin.PostAsync("/api/import/wordpress", Upload(File.ReadAllBytes(Demo)))).ReadAsync<ImportReport>();
        var again = await (await admin.PostAsync("/api/import/wordpress", Upload(File.ReadAllBytes(Demo)))).ReadAsync<ImportReport>();

        Assert.Equal((1, 8, 1), (first.ThreadsImported, first.RepliesImported, first.LinkedFrom));
        Assert.Equal((0, 0), (again.ThreadsImported, again.RepliesImported));
        Assert.Equal(8, Assert.Single(await admin.ListThreadsAsync(), t => t.Title == "Is new media activism an illusion of new solidarity?").ReplyCount);
    }

    [Fact]
    public async Task Only_admins_import_and_a_file_that_is_not_an_export_is_refused_with_the_reason()
    {
        using var member = await app.MemberAsync();
        using var anonymous = app.Anonymous();
        using var admin = await app.AdminAsync();
        var threadsBefore = await admin.ThreadIdsAsync();

        await (await member.PostAsync("/api/import/wordpress", Upload(File.ReadAllBytes(Demo))))
            .ShouldBeProblemAsync(HttpStatusCode.Forbidden, "Only admins can import.");
        await (await anonymous.PostAsync("/api/import/wordpress", Upload(File.ReadAllBytes(Demo))))
            .ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "Sign in to import.");
        var problem = await (await admin.PostAsync("/api/import/wordpress", Upload("this is not xml"u8.ToArray())))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "");
        Assert.True(problem.GetProperty("errors").TryGetProperty("file", out _));
        Assert.Equal(threadsBefore, await admin.ThreadIdsAsync());
    }

    [Fact]
    public async Task The_import_wordpress_command_imports_into_the_configured_database_and_prints_the_report()
    {
        var database = Path.Combine(Path.GetTempPath(), "livediscussion-tests", $"{Guid.NewGuid():N}.db");
        var web = Path.Combine(AppContext.BaseDirectory, "LiveDiscussion.Web.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { web, "import-wordpress", Demo })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["ConnectionStrings__Discussion"] = $"Data Source={database}";
        start.Environment["Demo__Seed"] = "false";
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);

        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}: {output} {error}");
        Assert.Contains("Imported 1 thread(s) (0 updated), 8 replies (0 held for approval), 1 linked-from entries.", output);
        using var commandsApp = new TestApp(seedDemo: false, database);
        using var client = commandsApp.Anonymous();
        Assert.Equal("Is new media activism an illusion of new solidarity?", Assert.Single(await client.ListThreadsAsync()).Title);
    }

    private static ByteArrayContent Upload(byte[] bytes) =>
        new(bytes) { Headers = { ContentType = new("application/xml") { CharSet = Encoding.UTF8.WebName } } };
}
