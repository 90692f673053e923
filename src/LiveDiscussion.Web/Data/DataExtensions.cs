using LiveDiscussion.Web.Features.Accounts;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace LiveDiscussion.Web.Data;

/// <summary>Where the discussion is stored: one SQLite file (the default), or a PostgreSQL database that many hosts share.</summary>
public enum StoreProvider
{
    Sqlite,
    Postgres,
}

public static class DataExtensions
{
    public const string ProviderKey = "Database:Provider";
    public const string ConnectionStringKey = "ConnectionStrings:Discussion";
    public const string DefaultConnectionString = "Data Source=App_Data/livediscussion.db";

    public static void AddData(this WebApplicationBuilder builder)
    {
        var provider = ProviderOf(builder.Configuration);
        var configured = builder.Configuration.GetConnectionString("Discussion");

        // Pooled: a context is made for every request and every write, and a fresh one costs more CPU to set up than
        // most of the queries it then runs.
        if (provider == StoreProvider.Postgres)
        {
            var connectionString = PostgresConnectionString(configured);
            // No EnableRetryOnFailure: it refuses the explicit transaction every write uses; StoreRetry retries whole
            // writes instead.
            builder.Services.AddPooledDbContextFactory<PostgresDiscussionDbContext>(options => options.UseNpgsql(connectionString));
            builder.Services.AddSingleton<IDbContextFactory<DiscussionDbContext>>(services =>
                new StoreContextFactory<PostgresDiscussionDbContext>(
                    services.GetRequiredService<IDbContextFactory<PostgresDiscussionDbContext>>()));
        }
        else
        {
            var connectionString = WithAbsoluteDataSource(configured ?? DefaultConnectionString, builder.Environment.ContentRootPath);
            builder.Services.AddPooledDbContextFactory<DiscussionDbContext>(options => options
                .UseSqlite(connectionString)
                .AddInterceptors(new SqliteWalInterceptor()));
        }

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

    /// <summary>
    /// Creates the database if it is missing and applies the configured store's migrations (each store has its own).
    /// EF Core takes a migration lock, so nodes starting together on one database migrate it once.
    /// </summary>
    public static async Task MigrateDatabaseAsync(this WebApplication app)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<DiscussionDbContext>>()
            .CreateDbContextAsync();
        try
        {
            await db.Database.MigrateAsync();
        }
        // Npgsql's execution strategy wraps a failure it deems transient in an InvalidOperationException.
        catch (Exception failure) when (NpgsqlCause(failure) is { } unusable)
        {
            var server = new NpgsqlConnectionStringBuilder(db.Database.GetConnectionString());
            throw new InvalidOperationException(
                $"{ConnectionStringKey}: the PostgreSQL database '{server.Database}' at {server.Host}:{server.Port} cannot be "
                + $"used: {Innermost(unusable).Message}", unusable);
        }
    }

    /// <summary><c>Database:Provider</c>: Sqlite (also when unset) or Postgres, in any case; anything else stops the start.</summary>
    public static StoreProvider ProviderOf(IConfiguration configuration) => configuration[ProviderKey]?.Trim() switch
    {
        null or "" => StoreProvider.Sqlite,
        var named when named.Equals(nameof(StoreProvider.Sqlite), StringComparison.OrdinalIgnoreCase) => StoreProvider.Sqlite,
        var named when named.Equals(nameof(StoreProvider.Postgres), StringComparison.OrdinalIgnoreCase) => StoreProvider.Postgres,
        var unknown => throw new InvalidOperationException(
            $"{ProviderKey} is '{unknown}': use Sqlite (the default, one file on this host) or Postgres (with {ConnectionStringKey})."),
    };

    private static string PostgresConnectionString(string? configured)
    {
        if (string.IsNullOrWhiteSpace(configured))
        {
            throw new InvalidOperationException(
                $"{ProviderKey} is Postgres but {ConnectionStringKey} is not set: give it the PostgreSQL connection string, "
                + "e.g. \"Host=db;Database=livediscussion;Username=livediscussion;Password=...\".");
        }

        try
        {
            return new NpgsqlConnectionStringBuilder(configured).ConnectionString;
        }
        catch (ArgumentException wrong)
        {
            throw new InvalidOperationException(
                $"{ConnectionStringKey} is not a PostgreSQL connection string ({wrong.Message}).", wrong);
        }
    }

    /// <summary>
    /// A relative file name is taken from the content root, not from wherever the process happened to start, and its
    /// folder is created, so every way of starting the app finds the same database.
    /// </summary>
    private static string WithAbsoluteDataSource(string connectionString, string contentRoot)
    {
        SqliteConnectionStringBuilder builder;
        try
        {
            builder = new SqliteConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException wrong)
        {
            throw new InvalidOperationException(
                $"{ConnectionStringKey} is not a SQLite connection string ({wrong.Message}); for PostgreSQL also set "
                + $"{ProviderKey}=Postgres.", wrong);
        }

        if (string.IsNullOrEmpty(builder.DataSource) || builder.DataSource == ":memory:"
            || builder.Mode == SqliteOpenMode.Memory)
        {
            return connectionString;
        }

        builder.DataSource = Path.GetFullPath(builder.DataSource, contentRoot);
        Directory.CreateDirectory(Path.GetDirectoryName(builder.DataSource)!);
        return builder.ToString();
    }

    private static NpgsqlException? NpgsqlCause(Exception exception) =>
        exception as NpgsqlException ?? (exception.InnerException is { } inner ? NpgsqlCause(inner) : null);

    private static Exception Innermost(Exception exception) =>
        exception.InnerException is { } inner ? Innermost(inner) : exception;

    /// <summary>
    /// The store's own pooled factory, handed out as the one every service asks for
    /// (<c>IDbContextFactory&lt;DiscussionDbContext&gt;</c>), so no service knows which store it writes to.
    /// </summary>
    private sealed class StoreContextFactory<TContext>(IDbContextFactory<TContext> factory) : IDbContextFactory<DiscussionDbContext>
        where TContext : DiscussionDbContext
    {
        public DiscussionDbContext CreateDbContext() => factory.CreateDbContext();

        public async Task<DiscussionDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default) =>
            await factory.CreateDbContextAsync(cancellationToken);
    }
}
