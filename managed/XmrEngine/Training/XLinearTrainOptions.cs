using XmrEngine.Indexing;
using XmrEngine.Inference;
using XmrEngine.Kernels;
using XmrEngine.Common;

namespace XmrEngine.Training;

/// <summary>
/// Options of <see cref="XLinearTrainer"/>; defaults are PECOS's XR-Linear defaults. Every property
/// checks its value when set (also through <c>with</c>), so an instance is always valid; errors name
/// the field and the rejected value.
/// </summary>
public sealed record XLinearTrainOptions
{
    private const string Name = nameof(XLinearTrainOptions);
    private readonly SolverType _solver = SolverType.L2Hinge;
    private readonly double _cp = 1.0;
    private readonly double _cn = 1.0;
    private readonly double _eps = 0.1;
    private readonly int _maxIterations = 100;
    private readonly float _bias = 1f;
    private readonly float _threshold = 0.1f;
    private readonly int _maxNonzerosPerNode;
    private readonly NegativeSampling _negatives = NegativeSampling.Tfn;
    private readonly int _threads;
    private readonly int _manBeamSize = 10;
    private readonly PostProcessor _manPostProcessor = PostProcessor.L3Hinge;
    private readonly int _trees = 1;
    private readonly HierarchicalKMeansOptions _indexer = new();
    private readonly SparseKernels _kernels = ManagedKernels.Instance;

    /// <summary>Loss of every node's model [l2-hinge].</summary>
    public SolverType Solver { get => _solver; init => _solver = OptionGuard.Defined(value, Name, nameof(Solver)); }

    /// <summary>Cost of errors on positives [1].</summary>
    public double Cp { get => _cp; init => _cp = OptionGuard.Positive(value, Name, nameof(Cp)); }

    /// <summary>Cost of errors on negatives [1].</summary>
    public double Cn { get => _cn; init => _cn = OptionGuard.Positive(value, Name, nameof(Cn)); }

    /// <summary>
    /// The solver tolerance `xmr train` uses by default (its balanced and fast presets) instead of PECOS's 0.1. The
    /// recommended 64-way tree (<see cref="HierarchicalKMeansOptions.Recommended"/>) costs more per level; stopping the
    /// dual coordinate descent at 0.3 buys that back at about the same accuracy, measured (perf/RESULTS.md, "Millions of labels, fourth step"):
    /// 20k-label set P@1 equal, P@3 / P@5 0.08 / 0.06 lower, 17% less training time; 200k -0.03 / -0.03 / -0.02, 27% less;
    /// Bibtex +0.24 / +0.06 / +0.09.
    /// </summary>
    public const double RecommendedEps = 0.3;

    /// <summary>
    /// Stopping tolerance of the dual coordinate descent [0.1, PECOS's]: a node's solve stops when the largest and the
    /// smallest projected gradient differ by at most this. See <see cref="RecommendedEps"/>.
    /// </summary>
    public double Eps { get => _eps; init => _eps = OptionGuard.Positive(value, Name, nameof(Eps)); }

    /// <summary>Most passes over a node's instances [100].</summary>
    public int MaxIterations { get => _maxIterations; init => _maxIterations = OptionGuard.AtLeast(value, 1, Name, nameof(MaxIterations)); }

    /// <summary>Value of the constant bias feature [1.0]; 0 trains without a bias term.</summary>
    public float Bias { get => _bias; init => _bias = OptionGuard.NonNegative(value, Name, nameof(Bias)); }

    /// <summary>Weights with |w| below this are dropped right after each node's solve [0.1].</summary>
    public float Threshold { get => _threshold; init => _threshold = OptionGuard.NonNegative(value, Name, nameof(Threshold)); }

    /// <summary>Most non-zeros kept per node, largest |w| first, bias included [0 = no cap].</summary>
    public int MaxNonzerosPerNode { get => _maxNonzerosPerNode; init => _maxNonzerosPerNode = OptionGuard.AtLeast(value, 0, Name, nameof(MaxNonzerosPerNode)); }

    /// <summary>Negative sampling scheme [tfn].</summary>
    public NegativeSampling Negatives
    {
        get => _negatives;
        init => _negatives = value is NegativeSampling.Tfn or NegativeSampling.Man or NegativeSampling.TfnMan
            ? value
            : throw new ArgumentOutOfRangeException(nameof(Negatives), value, $"{Name}.{nameof(Negatives)} must be Tfn, Man or TfnMan; got {value}.");
    }

    /// <summary>
    /// Beam width used to find matcher-aware negatives [10]; only read when <see cref="Negatives"/> includes Man. It is the
    /// beam the model is trained for: <see cref="XmrEngine.Persistence.XLinearModelFile"/> saves it as the prediction
    /// default when no other metadata is given, and `xmr train` sets it to the beam it saves, whichever way that is chosen.
    /// </summary>
    public int ManBeamSize { get => _manBeamSize; init => _manBeamSize = OptionGuard.AtLeast(value, 1, Name, nameof(ManBeamSize)); }

    /// <summary>
    /// The post-processor whose scores rank the nodes when MAN negatives are mined [l3-hinge, PECOS's default]; only read
    /// when <see cref="Negatives"/> includes Man. PECOS's <c>train -pp</c>: with noop a node is kept on its own score, not
    /// its path's, as PECOS's noop combination does.
    /// </summary>
    public PostProcessor ManPostProcessor { get => _manPostProcessor; init => _manPostProcessor = OptionGuard.NotNull(value, Name, nameof(ManPostProcessor)); }

    /// <summary>
    /// Trees of the ensemble <see cref="XLinearTrainer.TrainEnsemble(XmrEngine.Sparse.CsrMatrix, XmrEngine.Sparse.CsrMatrix, XLinearTrainOptions, IProgress{TrainingProgress}?, CancellationToken)"/> trains [1]. Tree i uses
    /// <see cref="Seed"/> + i for its k-means splits and its solver order, so tree 0 is the model
    /// <see cref="XLinearTrainer.Train(XmrEngine.Sparse.CsrMatrix, XmrEngine.Sparse.CsrMatrix, XLinearTrainOptions, IProgress{TrainingProgress}?, CancellationToken)"/> trains.
    /// </summary>
    public int Trees { get => _trees; init => _trees = OptionGuard.AtLeast(value, 1, Name, nameof(Trees)); }

    /// <summary>Worker threads [0 = all cores], of the tree build and the training alike; never changes the result.</summary>
    public int Threads { get => _threads; init => _threads = OptionGuard.AtLeast(value, 0, Name, nameof(Threads)); }

    /// <summary>
    /// Seed of the run [0]: of the k-means splits when the trainer builds the tree and of the per-node instance
    /// permutations; the model is a function of the seed and the data.
    /// </summary>
    public int Seed { get; init; }

    /// <summary>
    /// Whether every node's squared-hinge or hinge solve reproduces PECOS's exactly [false]: its coordinate order (a
    /// generator seeded with 0 for every node, shuffling one order from pass to pass) and its single-precision dual
    /// variables and sums, so that a model trained on PECOS's tree has PECOS's weights (`xmr train --preset pecos`). It runs
    /// on the managed code whatever <see cref="Kernels"/> is, is slower than the default solve, and makes the model
    /// independent of <see cref="Seed"/> (PECOS's solver takes no seed); the tree's exactness is
    /// <see cref="HierarchicalKMeansOptions.ExactPecos"/>. The logistic solver is not affected.
    /// </summary>
    public bool ExactPecos { get; init; }

    /// <summary>Shape of the tree the trainer builds itself (its seed, threads and backend are this record's).</summary>
    public HierarchicalKMeansOptions Indexer { get => _indexer; init => _indexer = OptionGuard.NotNull(value, Name, nameof(Indexer)); }

    /// <summary>
    /// The kernel backend of the whole run [the managed kernels]: it computes the PIFA product, accumulates the k-means
    /// centres, solves every node and mines MAN negatives. The library never chooses one itself: a front end resolves
    /// it once (`xmr` from <c>--backend</c> / <c>XMR_BACKEND</c>, through <see cref="KernelRegistry.Get"/>) and passes
    /// the object here. A backend without an operation says which one runs it (<see cref="SparseKernels.RunsOn"/>;
    /// native solves logistic regression on managed, MKL everything but the products).
    /// </summary>
    public SparseKernels Kernels { get => _kernels; init => _kernels = OptionGuard.NotNull(value, Name, nameof(Kernels)); }

    /// <summary>
    /// Cost-sensitive training [null: every positive costs <see cref="Cp"/>]: a relevance per positive (instance, label)
    /// pair that multiplies its cost, induced up the tree or on the last level only (PECOS's <c>R</c>, <c>rel_mode</c>,
    /// <c>rel_norm</c>; see <see cref="RelevanceWeights"/>). Its values must sit exactly on Y's positives.
    /// </summary>
    public RelevanceWeights? Relevance { get; init; }

    /// <summary>
    /// Largest group of siblings that share one loaded problem; 0 picks it from the level size and the
    /// thread count. Results never depend on it (tests set 1 to train node by node).
    /// </summary>
    internal int SiblingGroupLimit { get; init; }
}
