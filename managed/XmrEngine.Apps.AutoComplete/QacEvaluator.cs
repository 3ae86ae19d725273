using System.Diagnostics;
using XmrEngine.Common;
using XmrEngine.Evaluation;

namespace XmrEngine.Apps.AutoComplete;

/// <summary>
/// Runs a suggester over test cases one call at a time and measures MRR@10, BLEU of the top suggestion,
/// success@1 and @10 and per-call latency (wall clock around each call, after a warm-up pass over the
/// first cases that is not counted; also the call's own thread CPU time where the OS gives it, which tells a slow
/// call from a descheduled one), overall and per prefix-length bucket.
/// </summary>
public static class QacEvaluator
{
    /// <summary>The bucket names in report order.</summary>
    public static IReadOnlyList<string> Buckets { get; } = ["1-3", "4-6", "7+"];

    /// <summary>The bucket of a prefix of <paramref name="length"/> characters.</summary>
    public static string PrefixBucket(int length) => length <= 3 ? "1-3" : length <= 6 ? "4-6" : "7+";

    /// <summary>Evaluates <paramref name="suggest"/> on <paramref name="cases"/>.</summary>
    /// <param name="cases">Test cases (see <see cref="PrefixSampler.TestCases"/>).</param>
    /// <param name="suggest">Returns the ranked suggestions for a case; it must not look at <see cref="QacTestCase.Next"/>.</param>
    /// <param name="warmup">Cases run once before measuring, to load code and caches [100].</param>
    public static QacEvaluation Evaluate(IReadOnlyList<QacTestCase> cases, Func<string, string, IReadOnlyList<string>> suggest, int warmup = 100)
    {
        ArgumentNullException.ThrowIfNull(cases);
        ArgumentNullException.ThrowIfNull(suggest);
        for (int i = 0; i < Math.Min(warmup, cases.Count); i++) suggest(cases[i].Previous, cases[i].Prefix);
        var all = new Accumulator();
        var buckets = Buckets.ToDictionary(b => b, _ => new Accumulator());
        foreach (var c in cases)
        {
            long cpuStart = ThreadCpuClock.Nanoseconds();
            long start = Stopwatch.GetTimestamp();
            var ranked = suggest(c.Previous, c.Prefix);
            double ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            double cpuMs = (ThreadCpuClock.Nanoseconds() - cpuStart) / 1e6;
            double rr = MrrAtK.ReciprocalRank(ranked, c.Next, 10);
            double bleu = ranked.Count > 0 ? BleuScore.Sentence(ranked[0], c.Next) : 0;
            all.Add(rr, bleu, ms, cpuMs);
            buckets[PrefixBucket(c.Prefix.Length)].Add(rr, bleu, ms, cpuMs);
        }
        var byPrefix = new Dictionary<string, QacMetrics>();
        foreach (var b in Buckets)
            if (buckets[b].Count > 0) byPrefix[b] = buckets[b].ToMetrics();
        return new QacEvaluation(all.ToMetrics(), byPrefix);
    }

    /// <summary>The nearest-rank percentile of <paramref name="sorted"/> (ascending); 0 when empty.</summary>
    internal static double Percentile(IReadOnlyList<double> sorted, double p)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        if (sorted.Count == 0) return 0;
        int rank = (int)Math.Ceiling(p * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }

    private sealed class Accumulator
    {
        private readonly List<double> _latency = [], _cpu = [];
        private double _rr, _bleu;
        private int _at1, _at10;

        public int Count => _latency.Count;

        public void Add(double reciprocalRank, double bleu, double ms, double cpuMs)
        {
            _cpu.Add(cpuMs);
            _rr += reciprocalRank;
            _bleu += bleu;
            if (reciprocalRank == 1) _at1++;
            if (reciprocalRank > 0) _at10++;
            _latency.Add(ms);
        }

        public QacMetrics ToMetrics()
        {
            _latency.Sort();
            _cpu.Sort();
            int n = Math.Max(1, Count);
            return new QacMetrics(Count, _rr / n, _bleu / n, (double)_at1 / n, (double)_at10 / n,
                Percentile(_latency, 0.5), Percentile(_latency, 0.99), _latency.Count > 0 ? _latency[^1] : 0)
            {
                CpuP99Ms = ThreadCpuClock.IsAvailable ? Percentile(_cpu, 0.99) : null,
            };
        }
    }
}
