using LiveDiscussion.Web.Features.Accounts;
using LiveDiscussion.Web.Features.Events;
using LiveDiscussion.Web.Features.Moderation;
using LiveDiscussion.Web.Features.Replies;
using LiveDiscussion.Web.Features.Reports;
using LiveDiscussion.Web.Features.Threads;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace LiveDiscussion.Web.Data;

/// <summary>
/// The store on SQLite, and the model both stores share: <see cref="PostgresDiscussionDbContext"/> derives from it with
/// only what PostgreSQL spells differently, and each has its own migrations (EF Core picks a context's migrations by its
/// exact type).
/// </summary>
public class DiscussionDbContext : IdentityDbContext<AppUser>, IDataProtectionKeyContext
{
    public DiscussionDbContext(DbContextOptions<DiscussionDbContext> options)
        : base(options)
    {
    }

    /// <summary>For a derived store's context, whose pooled factory hands it its own options type.</summary>
    protected DiscussionDbContext(DbContextOptions options)
        : base(options)
    {
    }

    public DbSet<DiscussionThread> Threads => Set<DiscussionThread>();
    public DbSet<Reply> Replies => Set<Reply>();
    public DbSet<ThreadEvent> ThreadEvents => Set<ThreadEvent>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<SiteSettings> SiteSettings => Set<SiteSettings>();
    public DbSet<ReplyFlag> ReplyFlags => Set<ReplyFlag>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);

        builder.Entity<AppUser>().Property(u => u.DisplayName).HasMaxLength(64);

        builder.Entity<DiscussionThread>(thread =>
        {
            thread.ToTable("Threads");
            thread.Property(t => t.Title).HasMaxLength(Contracts.Limits.TitleMaxLength);
            thread.Property(t => t.State).HasConversion<string>().HasMaxLength(16);
            thread.Property(t => t.BodyFormat).HasConversion<string>().HasMaxLength(16);
            thread.HasIndex(t => new { t.IsPinned, t.LastActivityAt });
            thread.HasIndex(t => t.SourceKey).IsUnique();
        });

        builder.Entity<Reply>(reply =>
        {
            reply.Property(r => r.State).HasConversion<string>().HasMaxLength(16);
            reply.Property(r => r.BodyFormat).HasConversion<string>().HasMaxLength(16);
            reply.HasOne(r => r.Thread).WithMany(t => t.Replies).HasForeignKey(r => r.ThreadId);
            reply.HasOne<Reply>().WithMany().HasForeignKey(r => r.ParentReplyId).OnDelete(DeleteBehavior.Restrict);
            reply.HasOne<AppUser>().WithMany().HasForeignKey(r => r.AuthorId).OnDelete(DeleteBehavior.SetNull);
            reply.HasIndex(r => new { r.ThreadId, r.CreatedAt });
            // A person's published replies: whether they are still a new member (the posting limits).
            reply.HasIndex(r => new { r.AuthorId, r.State });
            reply.HasIndex(r => new { r.AuthorId, r.ClientRequestId }).IsUnique().HasFilter("ClientRequestId IS NOT NULL");
            reply.HasIndex(r => r.SourceKey).IsUnique().HasFilter("SourceKey IS NOT NULL");
            reply.HasIndex(r => new { r.BodyHash, r.CreatedAt }).HasFilter("BodyHash IS NOT NULL");
            reply.Property(r => r.HeldReason).HasMaxLength(200);
            reply.Property(r => r.ProposedHeldReason).HasMaxLength(200);
            reply.Property(r => r.AuthorEmail).HasMaxLength(320);
            reply.Property(r => r.AuthorIp).HasMaxLength(45);
        });

        builder.Entity<ThreadLabel>(label =>
        {
            label.ToTable("ThreadLabels");
            label.HasOne<DiscussionThread>().WithMany(t => t.Labels).HasForeignKey(l => l.ThreadId);
            label.Property(l => l.Kind).HasMaxLength(16);
            label.Property(l => l.Name).HasMaxLength(200);
            label.HasIndex(l => new { l.ThreadId, l.Kind, l.Name }).IsUnique();
        });

        builder.Entity<ThreadLink>(link =>
        {
            link.ToTable("ThreadLinks");
            link.HasOne<DiscussionThread>().WithMany(t => t.Links).HasForeignKey(l => l.ThreadId);
            link.Property(l => l.Kind).HasMaxLength(16);
            link.Property(l => l.Title).HasMaxLength(ThreadLink.TitleMaxLength);
            link.Property(l => l.Url).HasMaxLength(ThreadLink.UrlMaxLength);
            link.Property(l => l.Excerpt).HasMaxLength(ThreadLink.ExcerptMaxLength);
            link.HasIndex(l => new { l.ThreadId, l.CreatedAt });
            link.HasIndex(l => l.SourceKey).IsUnique();
        });

        builder.Entity<DiscussionThread>()
            .HasOne<AppUser>().WithMany().HasForeignKey(t => t.AuthorId).OnDelete(DeleteBehavior.SetNull);

        builder.Entity<SiteSettings>().Property(s => s.Id).ValueGeneratedNever();

        builder.Entity<AuditEntry>(audit =>
        {
            audit.ToTable("AuditLog");
            audit.Property(a => a.Action).HasMaxLength(32);
            audit.HasIndex(a => a.At);
            audit.HasIndex(a => new { a.Action, a.At });
        });

        builder.Entity<ThreadEvent>(evt =>
        {
            evt.HasOne<DiscussionThread>().WithMany().HasForeignKey(e => e.ThreadId);
            evt.HasOne<Reply>().WithMany().HasForeignKey(e => e.ReplyId).OnDelete(DeleteBehavior.Restrict);
            evt.HasIndex(e => new { e.ThreadId, e.Seq }).IsUnique();
            evt.Property(e => e.Type).HasMaxLength(32);
        });

        builder.Entity<ReplyFlag>(flag =>
        {
            flag.HasOne<Reply>().WithMany().HasForeignKey(f => f.ReplyId);
            flag.HasOne<DiscussionThread>().WithMany().HasForeignKey(f => f.ThreadId);
            flag.HasOne<AppUser>().WithMany().HasForeignKey(f => f.ReporterId);
            flag.Property(f => f.Reason).HasMaxLength(16);
            flag.Property(f => f.Note).HasMaxLength(Contracts.Limits.FlagNoteMaxLength);
            flag.Property(f => f.Resolution).HasMaxLength(16);
            // One report per person and reply: a repeat is the same report, and the threshold counts people.
            flag.HasIndex(f => new { f.ReplyId, f.ReporterId }).IsUnique();
            flag.HasIndex(f => f.ReviewedAt);
        });
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configuration)
    {
        // SQLite cannot order or compare DateTimeOffset columns; stored as UTC ticks they sort and compare correctly.
        configuration.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToUtcTicksConverter>();
    }
}
