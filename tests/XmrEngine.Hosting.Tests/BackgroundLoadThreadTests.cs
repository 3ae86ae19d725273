namespace XmrEngine.Hosting.Tests;

/// <summary>Model loads run on a thread of their own 10 steps nicer than their caller (Linux), returning the load's result or its exception.</summary>
public sealed class BackgroundLoadThreadTests
{
    /// <summary>This thread's nice value: field 19 of /proc/thread-self/stat (after the parenthesised command name).</summary>
    private static int Nice()
    {
        string stat = File.ReadAllText("/proc/thread-self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(fields[16], System.Globalization.CultureInfo.InvariantCulture);
    }

    [Test]
    public async Task TheLoadRunsAtLowerPriority_OnItsOwnThread_AndTheCallerKeepsItsOwn()
    {
        if (!OperatingSystem.IsLinux()) Assert.Ignore("thread priorities are set on Linux only");
        int callerNice = Nice();
        int callerThread = Environment.CurrentManagedThreadId;
        var (nice, thread) = await BackgroundLoadThread.Run(() => (Nice(), Environment.CurrentManagedThreadId), CancellationToken.None);
        Assert.That(nice, Is.EqualTo(Math.Min(19, callerNice + BackgroundLoadThread.Niceness)));
        Assert.That(thread, Is.Not.EqualTo(callerThread));
        Assert.That(Nice(), Is.EqualTo(callerNice), "only the loading thread is lowered");
    }

    [Test]
    public void AFailedLoadFailsTheTask_AndACancelledOneDoesNotStart()
    {
        var e = Assert.ThrowsAsync<IOException>(() => BackgroundLoadThread.Run<int>(() => throw new IOException("broken file"), CancellationToken.None));
        Assert.That(e!.Message, Is.EqualTo("broken file"));
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.Throws<OperationCanceledException>(() => BackgroundLoadThread.Run(() => 1, cancelled.Token));
    }
}
