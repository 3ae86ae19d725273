using XmrEngine.Common;

namespace XmrEngine.Indexing;

/// <summary>
/// The shape of the label tree <see cref="HierarchicalKMeansIndexer"/> builds; defaults are PECOS's. Every property checks its
/// value when set (also through <c>with</c>), so an instance is always valid; errors name the field and value.
/// The settings of a run (seed, threads, kernel backend) are not here: a training run holds them once, in
/// <see cref="XmrEngine.Training.XLinearTrainOptions"/>, and hands them to the indexer it builds.
/// </summary>
public sealed record HierarchicalKMeansOptions
{
    private const string Name = nameof(HierarchicalKMeansOptions);
    private readonly int _nrSplits = 16;
    private readonly int _maxLeafSize = 100;
    private readonly int _maxIterations = 20;

    /// <summary>
    /// The tree `xmr train` builds by default (its balanced preset): 64 children per node instead of 16, and labels
    /// without features (no training positive) gathered last. Measured on the synthetic 20k and 200k-label sets:
    /// +0.15 / +0.9 / +0.8 P@1/3/5 (20k, 4 seeds) and +0.3 / +0.7 / +0.6 (200k) over PECOS's tree, for 1.1x (20k) to
    /// 1.6x (200k) its training time and equal or less prediction time (fewer levels, fewer weights); perf/RESULTS.md,
    /// "A default tree that beats PECOS's". The other properties keep their defaults.
    /// </summary>
    public static HierarchicalKMeansOptions Recommended { get; } = new() { NrSplits = 64, EmptyRowsLast = true };

    /// <summary>Branching factor of each tree level [16]; a power of two, at least 2.</summary>
    public int NrSplits { get => _nrSplits; init => _nrSplits = OptionGuard.PowerOfTwo(value, Name, nameof(NrSplits)); }

    /// <summary>Largest number of labels in a bottom cluster [100]; at least 1.</summary>
    public int MaxLeafSize { get => _maxLeafSize; init => _maxLeafSize = OptionGuard.AtLeast(value, 1, Name, nameof(MaxLeafSize)); }

    /// <summary>Most 2-means iterations per split [20]; at least 1.</summary>
    public int MaxIterations { get => _maxIterations; init => _maxIterations = OptionGuard.AtLeast(value, 1, Name, nameof(MaxIterations)); }

    /// <summary>
    /// Whether labels whose feature row is empty sort after every other label in each split [false, PECOS's behaviour].
    /// A label without a training positive has an all-zero PIFA embedding, so every split scores it 0 and the median cut
    /// spreads such labels over all leaves by id, where they take leaf slots that labels the model can learn would fill.
    /// Sorting them last gathers them into their own subtrees, which no training row reaches and the beam never enters;
    /// the leaves the beam does visit then hold only labels with positives. On the synthetic 200k-label set (60% of the
    /// labels without positives) this is worth +0.1 to +0.3 P@k (perf/RESULTS.md, "A default tree that beats PECOS's"); with no empty rows the tree is unchanged.
    /// </summary>
    public bool EmptyRowsLast { get; init; }

    /// <summary>
    /// Whether the splits reproduce PECOS's exactly [false]: its random generator (MT19937 seeded with the seed, one
    /// seed drawn per node) and its single-precision centre and score arithmetic, so that the tree equals the one
    /// PECOS builds with the same seed (`xmr train --preset pecos`). It is slower than the default splits (one node at
    /// a time, no SIMD) and ignores <see cref="EmptyRowsLast"/>, which PECOS does not have. PECOS sums the centres of
    /// the levels with fewer nodes than its threads in per-thread parts; these splits sum them in one pass, as PECOS
    /// does on one thread.
    /// </summary>
    public bool ExactPecos { get; init; }
}
