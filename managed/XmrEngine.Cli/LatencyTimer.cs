using System.Diagnostics;
using XmrEngine.Inference;

namespace XmrEngine.Cli;

/// <summary>Single-query latency as <c>xmr predict --latency-queries</c> and <c>xmr bench</c> report it.</summary>
internal static class LatencyTimer
{
    /// <summary>Times queries one at a time on this thread after a warm-up pass; returns p50, p99 and max in ms.</summary>
    public static (double P50, double P99, double Max) SingleQuery(XLinearPredictor predictor, XmrEngine.Sparse.CsrMatrix x, int count, PredictOptions? options = null)
    {
        if (count == 0) return (0, 0, 0);
        options ??= PredictOptions.Default;
        var output = new ScoredLabel[options.TopK];
        for (int i = 0; i < count; i++) predictor.Predict(x.Row(i).Indices, x.Row(i).Values, output, options);
        var times = new double[count];
        for (int i = 0; i < count; i++)
        {
            long start = Stopwatch.GetTimestamp();
            predictor.Predict(x.Row(i).Indices, x.Row(i).Values, output, options);
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        return Summarize(times);
    }

    /// <summary>p50, p99 and max of <paramref name="times"/> (sorted in place; at least one entry).</summary>
    public static (double P50, double P99, double Max) Summarize(double[] times)
    {
        Array.Sort(times);
        int count = times.Length;
        return (times[(int)(0.5 * (count - 1))], times[(int)Math.Ceiling(0.99 * (count - 1))], times[^1]);
    }
}
