namespace XmrEngine.Kernels;

/// <summary>
/// Sets MKL's thread count for the calling thread only (<c>MKL_Set_Num_Threads_Local</c>) and puts
/// the previous value back on dispose, so one caller's <c>maxThreads</c> never leaks into another's.
/// </summary>
internal readonly ref struct MklThreadScope
{
    private readonly int _previous;

    /// <summary>Limits MKL calls made on this thread to <paramref name="threads"/> workers.</summary>
    public MklThreadScope(int threads)
    {
        _previous = MklNative.SetNumThreadsLocal(Math.Max(1, threads));
    }

    /// <summary>Restores the thread-local setting that was in effect before.</summary>
    public void Dispose() => MklNative.SetNumThreadsLocal(_previous);
}
