using XmrEngine.Common;

namespace XmrEngine.Tests.Common;

/// <summary>The thread CPU clock is there on Linux, never runs backwards, and counts this thread's work.</summary>
public class ThreadCpuClockTests
{
    [Test]
    public void OnLinux_ItIsAvailable_MonotonicAndCountsWork()
    {
        if (!OperatingSystem.IsLinux()) Assert.Ignore("the thread CPU clock is read on Linux only");
        Assert.That(ThreadCpuClock.IsAvailable, Is.True);
        long first = ThreadCpuClock.Nanoseconds(), previous = first;
        Assert.That(first, Is.GreaterThan(0));
        // Work until the clock moves (it counts this thread's CPU time at scheduler-tick resolution or finer).
        double sink = 0;
        for (int round = 0; round < 1_000_000 && previous == first; round++)
        {
            for (int i = 0; i < 1000; i++) sink += Math.Sqrt(i + round);
            long now = ThreadCpuClock.Nanoseconds();
            Assert.That(now, Is.GreaterThanOrEqualTo(previous), "never backwards");
            previous = now;
        }
        Assert.That(previous, Is.GreaterThan(first), $"work is counted (sink {sink})");
    }

    [Test]
    public void AnotherThreadsWork_IsNotThisThreads()
    {
        if (!OperatingSystem.IsLinux()) Assert.Ignore("the thread CPU clock is read on Linux only");
        long mineBefore = ThreadCpuClock.Nanoseconds();
        long theirs = 0;
        var worker = new Thread(() =>
        {
            long start = ThreadCpuClock.Nanoseconds();
            double sink = 0;
            while (ThreadCpuClock.Nanoseconds() - start < 50_000_000) sink += Math.Sqrt(sink + 1);
            theirs = ThreadCpuClock.Nanoseconds() - start;
        });
        worker.Start();
        worker.Join();
        long mine = ThreadCpuClock.Nanoseconds() - mineBefore;
        Assert.That(theirs, Is.GreaterThanOrEqualTo(50_000_000));
        Assert.That(mine, Is.LessThan(theirs), "joining a busy thread costs this thread less CPU than the busy thread used");
    }
}
