using LiveDiscussion.Web.Features.Replies;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace LiveDiscussion.Web.Data;

/// <summary>
/// The store on PostgreSQL (<c>Database:Provider=Postgres</c>): the same model as <see cref="DiscussionDbContext"/>,
/// with its own migrations in <c>Data/Migrations/Postgres</c>. Times stay UTC ticks (<c>bigint</c>) as on SQLite: the
/// same 100 ns precision on both stores, so a time read back compares equal to the one written.
/// </summary>
public sealed class PostgresDiscussionDbContext(DbContextOptions<PostgresDiscussionDbContext> options)
    : DiscussionDbContext(options)
{
    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);

        // PostgreSQL folds unquoted names to lower case, and the columns are named in Pascal case.
        builder.Entity<Reply>(reply =>
        {
            reply.HasIndex(r => new { r.AuthorId, r.ClientRequestId }).HasFilter("\"ClientRequestId\" IS NOT NULL");
            reply.HasIndex(r => r.SourceKey).HasFilter("\"SourceKey\" IS NOT NULL");
            reply.HasIndex(r => new { r.BodyHash, r.CreatedAt }).HasFilter("\"BodyHash\" IS NOT NULL");
        });
    }
}

/// <summary>
/// Builds the PostgreSQL context for <c>dotnet ef migrations add … --context PostgresDiscussionDbContext</c>
/// (<c>tools/add-migration.sh</c>), which needs the provider but never connects.
/// </summary>
public sealed class PostgresDesignTimeContextFactory : IDesignTimeDbContextFactory<PostgresDiscussionDbContext>
{
    public PostgresDiscussionDbContext CreateDbContext(string[] args) => new(
        new DbContextOptionsBuilder<PostgresDiscussionDbContext>()
            .UseNpgsql("Host=localhost;Database=livediscussion_design")
            .Options);
}
