using System.Diagnostics;
using LiveDiscussion.Web.Data;
using LiveDiscussion.Web.Features.Threads;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace LiveDiscussion.Web.Features.Import;

public static class ImportExtensions
{
    private const string DemoResource = "LiveDiscussion.Web.Features.Import.Demo.wordpress-new-media-activism.wxr";

    /// <summary>Blogs export hundreds of megabytes; the importer streams them, so the request may be that large.</summary>
    public const long UploadMaxBytes = 1024L * 1024 * 1024;

    public static void AddImport(this WebApplicationBuilder builder) =>
        builder.Services.AddSingleton<WordPressImporter>();

    public static void MapImport(this WebApplication app)
    {
        app.MapPost("/api/import/wordpress", (HttpContext http, WordPressImporter importer) =>
                importer.ImportAsAdminAsync(http.User, http.Request.Body, progress: null, http.RequestAborted))
            .WithMetadata(new RequestSizeLimitAttribute(UploadMaxBytes))
            .WithTags("Import")
            .WithSummary("Import a WordPress export (the WXR file as the body); returns what came in and what was skipped (admins)");

        // The thread is read before the first byte is written, so a thread the caller may not see is a 404 problem.
        app.MapGet("/api/threads/{id:long}/export", async (long id, HttpContext http, ThreadService threads, TimeProvider clock) =>
            {
                var thread = await threads.GetAsync(id, http.User, replyLimit: null, http.RequestAborted);
                var site = new Uri($"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}");
                return Results.Stream(body => WxrWriter.WriteAsync(thread, site, clock.GetUtcNow(), body, http.RequestAborted),
                    "application/rss+xml; charset=utf-8", $"{thread.Slug}.wordpress.xml");
            })
            .WithTags("Import")
            .WithSummary("The thread as a WordPress export (WXR 1.2), as the caller sees it");
    }

    /// <summary>
    /// <c>import-wordpress FILE</c> on the command line imports the file into the configured database and exits, so a
    /// blogger can move a site in without the web server running. Returns false when the arguments ask for no import.
    /// </summary>
    public static async Task<bool> RunImportCommandAsync(this WebApplication app, string[] args)
    {
        if (args is not ["import-wordpress", var file, ..])
        {
            return false;
        }

        await using var wxr = File.OpenRead(file);
        var clock = app.Services.GetRequiredService<TimeProvider>();
        var started = clock.GetTimestamp();
        try
        {
            var report = await app.Services.GetRequiredService<WordPressImporter>().ImportAsync(wxr, progress: new ConsoleProgress());
            Console.WriteLine($"Imported {report.ThreadsImported} thread(s) ({report.ThreadsUpdated} updated), " +
                $"{report.RepliesImported} replies ({report.RepliesHeld} held for approval), {report.LinkedFrom} linked-from entries.");
            foreach (var (reason, count) in report.SkippedByReason)
            {
                Console.WriteLine($"Skipped {count}: {reason}");
            }

            foreach (var line in report.Lines)
            {
                Console.WriteLine(line);
            }

            // The figure docs/benchmarks.md records: the importer's memory must not grow with the file.
            Console.WriteLine($"Took {clock.GetElapsedTime(started).TotalSeconds:N1} s; peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024):N0} MB.");
        }
        catch (InvalidDataException notAnExport)
        {
            Console.Error.WriteLine($"{file}: {notAnExport.Message}");
            Environment.ExitCode = 2;
        }

        return true;
    }

    /// <summary>A line on standard error at every tenth of the way, so a long import shows it is moving.</summary>
    private sealed class ConsoleProgress : IProgress<ImportProgress>
    {
        private int _tenths;

        public void Report(ImportProgress value)
        {
            if ((int)(value.Fraction * 10) > _tenths)
            {
                _tenths = (int)(value.Fraction * 10);
                Console.Error.WriteLine($"{value.Stage}: {_tenths * 10}% ({value.ItemsRead:N0} items read)");
            }
        }
    }

    /// <summary>With <c>Demo:Seed</c> on (the default), an empty database starts with the demo thread.</summary>
    public static async Task SeedDemoContentAsync(this WebApplication app)
    {
        if (!app.Configuration.GetValue("Demo:Seed", defaultValue: true))
        {
            return;
        }

        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<DiscussionDbContext>>().CreateDbContextAsync())
        {
            if (await db.Threads.AnyAsync())
            {
                return;
            }
        }

        await using var demo = typeof(ImportExtensions).Assembly.GetManifestResourceStream(DemoResource)
            ?? throw new InvalidOperationException($"The demo thread {DemoResource} is missing from the build.");
        var report = await app.Services.GetRequiredService<WordPressImporter>().ImportAsync(demo);
        app.Logger.LogInformation("Seeded demo content: {Threads} thread(s), {Replies} replies", report.ThreadsImported, report.RepliesImported);
    }
}
