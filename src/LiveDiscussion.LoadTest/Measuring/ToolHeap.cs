namespace LiveDiscussion.LoadTest.Measuring;

/// <summary>
/// Collects the tool's own garbage before a measured phase. Connecting thousands of watchers leaves a large heap behind,
/// and with the little the tool allocates afterwards its first full collection comes seconds into the measured phase: a
/// blocking collection of about 200 MB that stops the tool's one core for about 185 ms, which every delivery in flight
/// then counts as latency (a stall of about 200 ms in many-threads, against our node and the bare hub alike). Collected
/// here, it costs the same pause outside the measured seconds.
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
