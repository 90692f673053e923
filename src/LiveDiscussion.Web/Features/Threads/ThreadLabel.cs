namespace LiveDiscussion.Web.Features.Threads;

/// <summary>A category or tag a thread carries, as its WordPress post had them.</summary>
public sealed class ThreadLabel
{
    public const string Category = "category";
    public const string Tag = "tag";

    public long Id { get; set; }
    public long ThreadId { get; set; }

    /// <summary><see cref="Category"/> or <see cref="Tag"/>: WordPress keeps them apart, and an export gives them back as they were.</summary>
    public required string Kind { get; set; }
    public required string Name { get; set; }
}
