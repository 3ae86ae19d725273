namespace XmrEngine.Common;

/// <summary>
/// Runs a body over fixed-size blocks of a range in parallel with one reusable workspace per worker.
/// Block boundaries depend only on the range and block size, never on the thread count, so kernels
/// that write each block's output independently give identical results for any number of threads.
/// </summary>
public static class ParallelBlocks
{
    /// <param name="count">Size of the range [0, count).</param>
    /// <param name="blockSize">Items per block.</param>
    /// <param name="threads">Maximum degree of parallelism.</param>
    /// <param name="createWorkspace">Makes one workspace per worker.</param>
    /// <param name="body">Called with (blockIndex, start, end, workspace).</param>
    public static void Run<TWork>(int count, int blockSize, int threads, Func<TWork> createWorkspace, Action<int, int, int, TWork> body)
    {
        if (count <= 0) return;
        int blocks = (int)(((long)count + blockSize - 1) / blockSize);
        ParallelWorkers.ForEach(blocks, threads, createWorkspace, _ => { },
            (b, work) => body(b, b * blockSize, (int)Math.Min((long)(b + 1) * blockSize, count), work));
    }
}
