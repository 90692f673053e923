namespace LiveDiscussion.Tests.ScaleOut;

/// <summary>
/// The outage tests (Redis stopped, a node killed) spend most of their time waiting out the outage and the nodes'
/// recovery, with generous deadlines: they run one at a time, each on a cluster of its own, beside the other tests
/// rather than after them, so their waiting does not lengthen the run. The cluster tests that measure how fast a node
/// stops, or load it hard, stay in <see cref="ClusterCollection"/>.
/// </summary>
[CollectionDefinition(Name)]
public sealed class OutageCollection
{
    public const string Name = "outages";
}
