namespace LiveDiscussion.LoadTest.Measuring;

/// <summary>
/// Collects the tool's own garbage before a measured phase. Connecting thousands of watchers leaves a large heap behind,
/// and with the little the tool allocates afterwards its first full collection came seconds into the measured phase: a
/// blocking collection of about 200 MB that stopped the tool's one core for 185 ms, which every delivery in flight then
/// counted as latency (many-threads' stall of about 200 ms, against our node and the bare hub alike). Collected here, it
/// costs the same pause outside the measured seconds.
/// </summary>
public static class ToolHeap
{
    public static void Settle()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true);
    }
}
