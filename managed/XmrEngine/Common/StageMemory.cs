namespace XmrEngine.Common;

/// <summary>
/// Collects the garbage a finished training stage leaves behind. A stage's big temporaries (the PIFA product, a
/// level's per-node weight arrays once assembled) sit on the large-object heap, which only a full collection frees;
/// left to the GC's own budget they survive into the next stage, whose new arrays then grow the process instead of
/// reusing that memory. One blocking full collection per stage costs well under a second on a 1M-label run of ten
/// minutes (perf/RESULTS.md, issue 16).
/// </summary>
internal static class StageMemory
{
    /// <summary>Runs a blocking full collection.</summary>
    public static void ReleaseGarbage() => GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: false);
}
