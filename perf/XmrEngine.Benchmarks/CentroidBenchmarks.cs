using BenchmarkDotNet.Attributes;
using XmrEngine.Indexing;
using XmrEngine.Kernels;
using XmrEngine.Sparse;

namespace XmrEngine.Benchmarks;

/// <summary>
/// The k-means centre update of the hierarchical indexer: half of a node's label embeddings summed
/// into a <see cref="ScatterAccumulator"/>, then cleared. Z is 20,000 labels x 100,000 features with 50 entries per
/// row (a PIFA embedding of a large label set), the node holds all 20,000 labels (the top split, the
/// most expensive one), and the centre sums 10,000 of them. Managed loop against xmr_centroid_add_rows.
/// </summary>
[Config(typeof(BenchConfig))]
public class CentroidBenchmarks
{
    private CsrMatrix _z = null!;
    private int[] _members = null!;
    private ScatterAccumulator _center = null!;
    private SparseKernels _kernels = null!;

    /// <summary>Managed or native.</summary>
    [ParamsSource(nameof(Backends))]
    public KernelBackend Backend { get; set; }

    /// <summary>Managed always; native when libxmr_native loads.</summary>
    public static IEnumerable<KernelBackend> Backends() =>
        KernelRegistry.IsAvailable(KernelBackend.Native, out _) ? [KernelBackend.Managed, KernelBackend.Native] : [KernelBackend.Managed];

    /// <summary>Builds the seeded embedding and picks a random half of the labels, sorted like a node's members.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _z = XmrShapes.Inputs(20_000, 100_000, 50, seed: 11);
        var rng = new Random(12);
        _members = [.. Enumerable.Range(0, _z.Rows).OrderBy(_ => rng.Next()).Take(_z.Rows / 2).Order()];
        _center = new ScatterAccumulator(_z.Cols);
        _kernels = KernelRegistry.Get(Backend);
    }

    /// <summary>Accumulates the half into the centre, reads its norm, clears it.</summary>
    [Benchmark]
    public double Accumulate()
    {
        _center.AddRows(_z, _members, 1f, _kernels);
        double norm = _center.Norm();
        _center.Clear();
        return norm;
    }
}
