using BenchmarkDotNet.Attributes;
using XmrEngine.Indexing;
using XmrEngine.IO;
using XmrEngine.Kernels;
using XmrEngine.Sparse;
using XmrEngine.Training;
using XmrEngine.Common;

namespace XmrEngine.Benchmarks;

/// <summary>
/// One node problem of XR-Linear training solved by the dual coordinate-descent solver (squared hinge,
/// PECOS defaults: C = 1, eps = 0.1, at most 100 passes, bias 1), managed <see cref="HingeDualSolver"/>
/// against libxmr_native's <c>xmr_dcd_hinge_solve</c>. Inputs are Bibtex's training rows (shared/data,
/// L2-normalised; a seeded 4,880 x 1,836 matrix with 69 entries per row when the file is absent).
/// "Root": every instance is a candidate, positives = instances with a label in the first half of the
/// label ids (a top-level cluster). "Parent": the candidates are the instances with a label in that half
/// (TFN negatives of its parent), positives = the instances of its most frequent label.
/// </summary>
[Config(typeof(BenchConfig))]
public class SolverBenchmarks
{
    private SolverWorkspace _ws = null!;
    private SolverParameters _params;
    private SparseKernels _kernels = null!;

    /// <summary>Managed or native.</summary>
    [ParamsSource(nameof(Backends))]
    public KernelBackend Backend { get; set; }

    /// <summary>Which node problem.</summary>
    [Params("Root", "Parent")]
    public string Problem { get; set; } = "Root";

    /// <summary>Managed always; native when libxmr_native loads.</summary>
    public static IEnumerable<KernelBackend> Backends() =>
        KernelRegistry.IsAvailable(KernelBackend.Native, out _) ? [KernelBackend.Managed, KernelBackend.Native] : [KernelBackend.Managed];

    /// <summary>Loads the rows and builds the node problem.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var (x, y) = BibtexOrSynthetic();
        int half = y.Cols / 2;
        var inHalf = Enumerable.Range(0, x.Rows).Where(i => y.Row(i).Indices.ToArray().Any(l => l < half)).ToHashSet();
        int frequent = Enumerable.Range(0, half).MaxBy(l => Enumerable.Range(0, y.Rows).Count(i => y.Row(i).Indices.Contains(l)));
        _ws = new SolverWorkspace(x.Cols);
        _ws.BeginProblem();
        for (int i = 0; i < x.Rows; i++)
        {
            if (Problem == "Root") _ws.AddInstance(i, inHalf.Contains(i) ? (sbyte)1 : (sbyte)-1);
            else if (inHalf.Contains(i)) _ws.AddInstance(i, y.Row(i).Indices.Contains(frequent) ? (sbyte)1 : (sbyte)-1);
        }
        _ws.LoadRows(x, 1.0, SolverWorkspace.RowSquaredNorms(x));
        _params = SolverParameters.From(new XLinearTrainOptions());
        _kernels = KernelRegistry.Get(Backend);
    }

    private static (CsrMatrix X, CsrMatrix Y) BibtexOrSynthetic()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string path = Path.Combine(dir.FullName, "..", "shared", "data", "bibtex", "train.txt");
            if (File.Exists(Path.Combine(dir.FullName, "XmrEngine.sln")) && File.Exists(path))
            {
                var data = XmcTextFormat.Read(path);
                return (data.Features.NormalizeRows(), data.Labels);
            }
        }
        var x = XmrShapes.Inputs(4880, 1836, 69, seed: 7);
        var rng = new Random(8);
        var coo = new CooBuilder(x.Rows, 159);
        for (int i = 0; i < x.Rows; i++)
            foreach (int l in Enumerable.Range(0, 1 + rng.Next(4)).Select(_ => rng.Next(159)).Distinct()) coo.Add(i, l, 1f);
        return (x, coo.ToCsr());
    }

    /// <summary>Zeroes w and solves the node from the same random stream.</summary>
    [Benchmark]
    public double Solve()
    {
        _ws.ZeroWeights();
        var rng = new SeededRandom(42);
        _kernels.SolveDual(_ws, _params, ref rng);
        return _ws.B;
    }
}
