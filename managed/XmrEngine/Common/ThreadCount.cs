namespace XmrEngine.Common;

/// <summary>Turns a user's thread request into a worker count.</summary>
public static class ThreadCount
{
    /// <summary>Zero or negative means one worker per processor; a positive count is used as given, capped at four per processor.</summary>
    public static int Resolve(int threads) =>
        threads <= 0 ? Environment.ProcessorCount : Math.Min(threads, Math.Max(Environment.ProcessorCount, 1) * 4);
}
