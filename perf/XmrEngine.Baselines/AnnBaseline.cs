using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Cloud.Unum.USearch;
using XmrEngine.Ann;
using XmrEngine.IO;

namespace XmrEngine.Baselines;

/// <summary>
/// <c>xmr-baselines ann VECTORS.npy QUERIES.npy [--k 10] [--m 16] [--ef-construction 200] [--efs 16,32,64,128]</c>: the
/// engine's HNSW index beside USearch (Cloud.Unum.USearch, the same M and construction beam, float32, cosine) and exact
/// brute force, in one process on the same vectors: recall@k against the exact answer and queries per second on one
/// thread for each search beam, build time and bytes on disk. USearch fixes its search beam when the index is created,
/// so it is built once per beam. Prints one markdown table.
/// </summary>
internal static class AnnBaseline
{
    public static int Run(string[] args)
    {
        if (args.Length < 2) throw new ArgumentException("usage: xmr-baselines ann VECTORS.npy QUERIES.npy [--k 10] [--m 16] [--ef-construction 200] [--efs 16,32,64,128]");
        string Option(string name, string fallback) => Array.IndexOf(args, name) is int i and >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        int k = int.Parse(Option("--k", "10"), CultureInfo.InvariantCulture);
        int m = int.Parse(Option("--m", "16"), CultureInfo.InvariantCulture);
        int efConstruction = int.Parse(Option("--ef-construction", "200"), CultureInfo.InvariantCulture);
        var efs = Option("--efs", "16,32,64,128").Split(',').Select(e => int.Parse(e, CultureInfo.InvariantCulture)).ToArray();
        var (vectors, n, dim) = Read(args[0]);
        var (queries, nq, qdim) = Read(args[1]);
        if (qdim != dim) throw new ArgumentException($"{args[1]} has {qdim} columns; {args[0]} has {dim}.");
        Console.Error.WriteLine($"{n:N0} vectors and {nq:N0} queries of {dim}; k {k}, M {m}, ef_construction {efConstruction}; {Environment.ProcessorCount} cores");

        var clock = Stopwatch.StartNew();
        var truth = new int[nq][];
        for (int q = 0; q < nq; q++) truth[q] = Exact(vectors, dim, queries.AsSpan(q * dim, dim), k);
        double bruteQps = nq / clock.Elapsed.TotalSeconds;

        Console.WriteLine("| index | ef | recall@" + k + " | queries/s (1 thread) | build (s) | bytes |");
        Console.WriteLine("|---|---|---|---|---|---|");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| brute force (exact) | - | 1.0000 | {bruteQps:F0} | - | {4L * n * dim:N0} |"));

        clock.Restart();
        var ours = HnswIndex.Build(vectors, dim, new HnswOptions { M = m, EfConstruction = efConstruction });
        double ourBuild = clock.Elapsed.TotalSeconds;
        string ourFile = Path.Combine(Path.GetTempPath(), $"xmr-ann-{Environment.ProcessId}.ann");
        ours.Save(ourFile);
        long ourBytes = new FileInfo(ourFile).Length;
        File.Delete(ourFile);
        foreach (int ef in efs)
        {
            var (recall, qps) = Measure(nq, truth, k, q => ours.Search(queries.AsSpan(q * dim, dim), k, ef).Select(h => h.Id));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| xmr HnswIndex | {ef} | {recall:F4} | {qps:F0} | {ourBuild:F2} | {ourBytes:N0} |"));
        }

        foreach (int ef in efs)
        {
            clock.Restart();
            using var usearch = new USearchIndex(MetricKind.Cos, ScalarKind.Float32, (ulong)dim, (ulong)m, (ulong)efConstruction, (ulong)ef);
            var row = new float[dim];
            for (int i = 0; i < n; i++)
            {
                vectors.AsSpan(i * dim, dim).CopyTo(row);
                usearch.Add((ulong)i, row);
            }
            double build = clock.Elapsed.TotalSeconds;
            string file = Path.Combine(Path.GetTempPath(), $"usearch-{Environment.ProcessId}.usearch");
            usearch.Save(file);
            long bytes = new FileInfo(file).Length;
            File.Delete(file);
            var query = new float[dim];
            var (recall, qps) = Measure(nq, truth, k, q =>
            {
                queries.AsSpan(q * dim, dim).CopyTo(query);
                usearch.Search(query, k, out ulong[] keys, out _);
                return keys.Select(key => (int)key);
            });
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| USearch {typeof(USearchIndex).Assembly.GetName().Version} | {ef} | {recall:F4} | {qps:F0} | {build:F2} | {bytes:N0} |"));
        }
        return 0;
    }

    /// <summary>Recall against the exact answers, and queries per second of a second pass (the first warms the JIT and caches).</summary>
    private static (double Recall, double Qps) Measure(int nq, int[][] truth, int k, Func<int, IEnumerable<int>> search)
    {
        int hits = 0;
        for (int q = 0; q < nq; q++)
        {
            var found = search(q).ToHashSet();
            hits += truth[q].Count(found.Contains);
        }
        var clock = Stopwatch.StartNew();
        for (int q = 0; q < nq; q++) _ = search(q).Count();
        return ((double)hits / (nq * (double)k), nq / clock.Elapsed.TotalSeconds);
    }

    /// <summary>The exact top k by cosine (ties by id), in double precision.</summary>
    private static int[] Exact(float[] vectors, int dim, ReadOnlySpan<float> query, int k)
    {
        int n = vectors.Length / dim;
        double qn = Math.Sqrt(DenseDot.Reference(query, query));
        var best = new PriorityQueue<int, (double, int)>(k + 1);
        for (int i = 0; i < n; i++)
        {
            var row = vectors.AsSpan(i * dim, dim);
            double norm = Math.Sqrt(DenseDot.Reference(row, row)) * qn;
            double s = norm > 0 ? DenseDot.Reference(row, query) / norm : 0;
            best.Enqueue(i, (s, -i));
            if (best.Count > k) best.Dequeue();
        }
        var ids = new int[best.Count];
        for (int j = ids.Length - 1; j >= 0; j--) ids[j] = best.Dequeue();
        return ids;
    }

    private static (float[] Values, int Rows, int Columns) Read(string path)
    {
        var matrix = NpyFormat.ReadMatrix(path);
        int rows = matrix.GetLength(0), cols = matrix.GetLength(1);
        return (rows == 0 ? [] : MemoryMarshal.CreateReadOnlySpan(ref matrix[0, 0], rows * cols).ToArray(), rows, cols);
    }
}
