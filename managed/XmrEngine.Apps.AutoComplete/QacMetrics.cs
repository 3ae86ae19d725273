namespace XmrEngine.Apps.AutoComplete;

/// <summary>Quality and latency of a suggester on a set of test cases.</summary>
/// <param name="Count">Test cases.</param>
/// <param name="Mrr">MRR@10 with exact match (<see cref="Evaluation.MrrAtK"/>).</param>
/// <param name="Bleu">Mean sentence BLEU (<see cref="Evaluation.BleuScore"/>) of the top suggestion against the true query; 0 when there is none.</param>
/// <param name="SuccessAt1">Share of cases whose top suggestion is the true query.</param>
/// <param name="SuccessAt10">Share of cases with the true query among the first 10 suggestions.</param>
/// <param name="P50Ms">Median single-call latency in milliseconds.</param>
/// <param name="P99Ms">99th percentile latency (nearest rank) in milliseconds.</param>
/// <param name="MaxMs">Slowest call in milliseconds.</param>
public sealed record QacMetrics(int Count, double Mrr, double Bleu, double SuccessAt1, double SuccessAt10, double P50Ms, double P99Ms, double MaxMs)
{
    /// <summary>
    /// The 99th percentile of the calls' own thread CPU time, in milliseconds (<see cref="XmrEngine.Common.ThreadCpuClock"/>);
    /// null where the OS does not give it. A <see cref="P99Ms"/> far above it is time spent waiting for a core, not working.
    /// </summary>
    public double? CpuP99Ms { get; init; }
}

/// <summary>Metrics overall and per prefix-length bucket ("1-3", "4-6", "7+" characters).</summary>
/// <param name="Overall">All test cases.</param>
/// <param name="ByPrefix">Per bucket; buckets without cases are absent.</param>
public sealed record QacEvaluation(QacMetrics Overall, IReadOnlyDictionary<string, QacMetrics> ByPrefix);
