using System.Diagnostics;
using XmrEngine.Inference;
using XmrEngine.Models;
using XmrEngine.Sparse;

namespace XmrEngine.Tests.Inference;

/// <summary>
/// Sanity timing (not a benchmark, asserts nothing about time): single-query latency on a random
/// model with 100k features, ~5k labels and 3 levels. Explicit, so it runs only when selected:
/// <c>dotnet test -c Release --filter FullyQualifiedName~LatencyTiming</c>.
/// </summary>
[Explicit("Timing run; prints numbers, select it explicitly.")]
public class LatencyTiming
{
    private const int Features = 100_000;

    /// <summary>Feature ids drawn with a skew towards small ids, like TF-IDF vocabularies sorted by frequency.</summary>
    private static int SkewedFeature(Random rng) => (int)(Features * Math.Pow(rng.NextDouble(), 2.5));

    private static CscMatrix RandomWeights(int nodes, int nnzPerColumn, Random rng)
    {
        var ptr = new long[nodes + 1];
        var idx = new List<int>();
        var val = new List<float>();
        var rows = new SortedSet<int>();
        for (int c = 0; c < nodes; c++)
        {
            rows.Clear();
            while (rows.Count < nnzPerColumn) rows.Add(SkewedFeature(rng));
            rows.Add(Features); // bias
            foreach (int r in rows)
            {
                idx.Add(r);
                val.Add((float)(rng.NextDouble() * 2 - 1));
            }
            ptr[c + 1] = idx.Count;
        }
        return new CscMatrix(Features + 1, nodes, ptr, idx.ToArray(), val.ToArray());
    }

    private static XLinearModel BuildModel()
    {
        var rng = new Random(2024);
        // 16 x 16 x 20 = 5120 labels; denser weights near the root, as trained models have.
        int[] branching = [16, 16, 20];
        int[] nnzPerColumn = [4000, 1200, 250];
        var levels = new List<CsrMatrix>();
        var weights = new List<CscMatrix>();
        int parents = 1;
        for (int t = 0; t < 3; t++)
        {
            var parentOf = Enumerable.Range(0, parents * branching[t]).Select(i => i / branching[t]).ToArray();
            levels.Add(XmrEngine.Indexing.ClusterChain.LevelFromParents(parentOf, parents));
            weights.Add(RandomWeights(parentOf.Length, nnzPerColumn[t], rng));
            parents = parentOf.Length;
        }
        return new XLinearModel(new XmrEngine.Indexing.ClusterChain(levels), weights, Features, 1f);
    }

    [Test]
    public void SingleQueryLatency()
    {
        var model = BuildModel();
        var rng = new Random(7);
        var queries = Enumerable.Range(0, 2000).Select(_ =>
        {
            var ids = new SortedSet<int>();
            int n = rng.Next(10, 80);
            while (ids.Count < n) ids.Add(SkewedFeature(rng));
            var idx = ids.ToArray();
            var val = idx.Select(_ => (float)rng.NextDouble()).ToArray();
            float norm = MathF.Sqrt(val.Sum(v => v * v));
            return (idx, val.Select(v => v / norm).ToArray());
        }).ToArray();
        var output = new ScoredLabel[10];
        foreach (var layout in new[] { WeightLayout.Chunked, WeightLayout.Csc })
        {
            var sw = Stopwatch.StartNew();
            var predictor = new XLinearPredictor(model, layout: layout);
            double compileMs = sw.Elapsed.TotalMilliseconds;
            foreach (var (idx, val) in queries.Take(200)) predictor.Predict(idx, val, output);
            var times = new double[queries.Length];
            for (int i = 0; i < queries.Length; i++)
            {
                long start = Stopwatch.GetTimestamp();
                predictor.Predict(queries[i].idx, queries[i].Item2, output);
                times[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            }
            Array.Sort(times);
            TestContext.Out.WriteLine(
                $"{layout,-8} compile {compileMs,8:F0} ms | single query min {times[0],6:F1} us  p10 {times[times.Length / 10],6:F1} us  p50 {times[times.Length / 2],7:F1} us  p90 {times[times.Length * 9 / 10],7:F1} us  p99 {times[times.Length * 99 / 100],7:F1} us  mean {times.Average(),7:F1} us");
        }
        var x = new CooBuilder(queries.Length, Features);
        for (int i = 0; i < queries.Length; i++)
            for (int j = 0; j < queries[i].idx.Length; j++) x.Add(i, queries[i].idx[j], queries[i].Item2[j]);
        var xm = x.ToCsr();
        var chunked = new XLinearPredictor(model);
        chunked.Predict(xm);
        var batch = Stopwatch.StartNew();
        chunked.Predict(xm);
        TestContext.Out.WriteLine($"batch {queries.Length} queries on {Environment.ProcessorCount} cores: {batch.Elapsed.TotalMilliseconds:F0} ms ({queries.Length / batch.Elapsed.TotalSeconds:F0} queries/s)");
        TestContext.Out.WriteLine($"model nnz per level: {string.Join(", ", model.Weights.Select(w => w.Nnz))}");
    }
}
