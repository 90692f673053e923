using LiveDiscussion.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace LiveDiscussion.Web.Features.Import;

public static class ImportExtensions
{
    private const string DemoResource = "LiveDiscussion.Web.Features.Import.Demo.wordpress-new-media-activism.wxr";

    public static void AddImport(this WebApplicationBuilder builder) =>
        builder.Services.AddSingleton<WordPressImporter>();

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
