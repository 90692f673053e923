namespace LiveDiscussion.Tests.ScaleOut;

/// <summary>Cluster tests start processes and a Redis of their own; run them one at a time, not beside each other.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterCollection
{
    public const string Name = "cluster";
}
