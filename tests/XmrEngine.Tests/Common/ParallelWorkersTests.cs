using System.Collections.Concurrent;
using XmrEngine.Common;

namespace XmrEngine.Tests.Common;

public class ParallelWorkersTests
{
    [TestCase(0, 2)]
    [TestCase(1, 4)]
    [TestCase(7, 1)]
    [TestCase(1000, 2)]
    [TestCase(1000, 8)]
    public void EveryItemRunsOnce_OneScratchPerWorker_AllReturned(int count, int threads)
    {
        var runs = new int[count];
        int rented = 0;
        var returned = new ConcurrentBag<object>();
        ParallelWorkers.ForEach(count, threads, () => { Interlocked.Increment(ref rented); return new object(); }, returned.Add,
            (i, _) => Interlocked.Increment(ref runs[i]));
        Assert.That(runs, Is.All.EqualTo(1));
        Assert.That(rented, Is.EqualTo(count == 0 ? 0 : Math.Min(threads, count)), "one scratch per worker, never more workers than items or threads");
        Assert.That(returned, Has.Count.EqualTo(rented), "every scratch is released");
    }

    [Test]
    public void AHeavyFirstItemDoesNotKeepTheOthersOnItsWorker()
    {
        // Item 0 blocks until every other item has run: that finishes only if another worker takes items 1..n while
        // item 0's worker is busy (Parallel.For's ranges could give a worker items 0..k in a row).
        const int count = 64;
        int done = 0;
        using var others = new ManualResetEventSlim();
        ParallelWorkers.ForEach(count, 2, () => 0, _ => { }, (i, _) =>
        {
            if (i == 0) Assert.That(others.Wait(TimeSpan.FromSeconds(30)), Is.True, "the other worker ran the rest");
            else if (Interlocked.Increment(ref done) == count - 1) others.Set();
        });
        Assert.That(done, Is.EqualTo(count - 1));
    }

    [Test]
    public void AFailureIsRethrown_AndTheScratchStillReleased()
    {
        int released = 0;
        var one = Assert.Throws<InvalidOperationException>(() => ParallelWorkers.ForEach(5, 1, () => 0, _ => released++,
            (i, _) => { if (i == 3) throw new InvalidOperationException("item 3"); }));
        Assert.That(one!.Message, Is.EqualTo("item 3"), "one worker: the exception itself");
        Assert.That(released, Is.EqualTo(1));
        var many = Assert.Throws<AggregateException>(() => ParallelWorkers.ForEach(50, 2, () => 0, _ => { },
            (i, _) => { if (i == 10) throw new InvalidOperationException("item 10"); }));
        Assert.That(many!.InnerExceptions.Select(e => e.Message), Does.Contain("item 10"));
    }

    [Test]
    public void CancellationStopsTakingItems()
    {
        using var cts = new CancellationTokenSource();
        int ran = 0;
        Assert.Throws<OperationCanceledException>(() => ParallelWorkers.ForEach(1000, 1, () => 0, _ => { }, (i, _) =>
        {
            ran++;
            if (i == 4) cts.Cancel();
        }, cts.Token));
        Assert.That(ran, Is.EqualTo(5));
    }
}
