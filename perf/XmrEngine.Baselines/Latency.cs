using System.Diagnostics;

namespace XmrEngine.Baselines;

/// <summary>Single-query latency: each query timed alone, sequentially on one thread, after a warm-up pass.</summary>
internal static class Latency
{
    public static (double P50Ms, double P99Ms) Measure(IReadOnlyList<string> queries, Action<string> answer, int warmup = 100)
    {
        for (int i = 0; i < Math.Min(warmup, queries.Count); i++) answer(queries[i]);
        var ms = new double[queries.Count];
        for (int i = 0; i < queries.Count; i++)
        {
            long start = Stopwatch.GetTimestamp();
            answer(queries[i]);
            ms[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        Array.Sort(ms);
        return (Percentile(ms, 0.50), Percentile(ms, 0.99));
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
