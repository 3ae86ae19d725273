namespace XmrEngine.Common;

/// <summary>
/// Runs a body for every item of [0, count) on up to a given number of workers, each holding one scratch object for
/// its whole run, taking the next item from a shared counter. Parallel.For with a local init does neither: it hands
/// each task growing ranges of indices, so when a few items carry most of the work one worker can end up with nearly
/// all of it (measured: the 200k-label set's cluster level ran 25 s of solving in 23 s of wall time on two workers),
/// and it calls the local init once per task, many times per loop. Items are started in index order, so callers put
/// the heaviest first. The order in which items finish is not defined; bodies write their own outputs.
/// </summary>
public static class ParallelWorkers
{
    /// <param name="count">Items [0, count).</param>
    /// <param name="threads">Most workers (at least 1).</param>
    /// <param name="rent">Gives a worker its scratch (called once per worker).</param>
    /// <param name="release">Takes a worker's scratch back when it stops (also after a failure).</param>
    /// <param name="body">Called with (item, scratch).</param>
    /// <param name="cancellationToken">Workers stop taking items once it is cancelled; then <see cref="OperationCanceledException"/> is thrown.</param>
    /// <exception cref="AggregateException">A body threw (with more than one worker; with one the exception itself).</exception>
    public static void ForEach<TWork>(int count, int threads, Func<TWork> rent, Action<TWork> release, Action<int, TWork> body,
        CancellationToken cancellationToken = default)
    {
        if (count <= 0) return;
        int workers = Math.Min(Math.Max(1, threads), count);
        int next = -1;
        void Work()
        {
            var scratch = rent();
            try
            {
                for (int i; (i = Interlocked.Increment(ref next)) < count && !cancellationToken.IsCancellationRequested;)
                    body(i, scratch);
            }
            finally
            {
                release(scratch);
            }
        }
        if (workers == 1) Work();
        else Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = cancellationToken }, _ => Work());
        cancellationToken.ThrowIfCancellationRequested();
    }
}
