using LiveDiscussion.Web.Features.Accounts;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace LiveDiscussion.Web.Data;

public static class DataExtensions
{
    public const string DefaultConnectionString = "Data Source=App_Data/livediscussion.db";

    public static void AddData(this WebApplicationBuilder builder)
    {
        var connectionString = WithAbsoluteDataSource(
            builder.Configuration.GetConnectionString("Discussion") ?? DefaultConnectionString,
            builder.Environment.ContentRootPath);

        // Pooled: a context is made for every request and every write, and a fresh one costs more CPU to set up than
        // most of the queries it then runs.
        builder.Services.AddPooledDbContextFactory<DiscussionDbContext>(options => options
            .UseSqlite(connectionString)
            .AddInterceptors(new SqliteWalInterceptor()));
        builder.Services.AddScoped(services =>
            services.GetRequiredService<IDbContextFactory<DiscussionDbContext>>().CreateDbContext());
        builder.Services.AddSingleton<ModeratedWrite>();

        // One application name and keys in the database, so a cookie issued by one node is accepted by every other;
        // encrypted there with the configured certificate.
        builder.Services.AddDataProtection()
            .SetApplicationName("LiveDiscussion")
            .PersistKeysToDbContext<DiscussionDbContext>()
            .ProtectKeysWithConfiguredCertificate(builder);
    }

    public static async Task MigrateDatabaseAsync(this WebApplication app)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<DiscussionDbContext>>()
            .CreateDbContextAsync();
        await db.Database.MigrateAsync();
    }

    /// <summary>
    /// A relative file name is taken from the content root, not from wherever the process happened to start, and its
    /// folder is created, so every way of starting the app finds the same database.
    /// </summary>
    private static string WithAbsoluteDataSource(string connectionString, string contentRoot)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (string.IsNullOrEmpty(builder.DataSource) || builder.DataSource == ":memory:"
            || builder.Mode == SqliteOpenMode.Memory)
        {
            return connectionString;
        }

        builder.DataSource = Path.GetFullPath(builder.DataSource, contentRoot);
        Directory.CreateDirectory(Path.GetDirectoryName(builder.DataSource)!);
        return builder.ToString();
    }
}
