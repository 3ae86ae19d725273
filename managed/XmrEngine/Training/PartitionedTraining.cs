using XmrEngine.Indexing;
using XmrEngine.Sparse;

namespace XmrEngine.Training;

/// <summary>
/// XR-Linear training cut into independent jobs, for training on several machines: a coordinator builds the label
/// tree (<see cref="BuildTree"/>) and trains the levels above a split level L on every node; each job trains the
/// levels from L down for a set of whole subtrees (the descendants of some nodes of level L-1). With teacher-forced
/// negatives (TFN, the default) a node's problem depends only on the tree and the data, and its random stream only on
/// (seed, level, node), so the columns a job trains are exactly the columns of <see cref="XLinearTrainer.Train(CsrMatrix, CsrMatrix, XLinearTrainOptions, IProgress{TrainingProgress}?, CancellationToken)"/>,
/// and <see cref="Assemble(ClusterChain, IReadOnlyList{CscMatrix[]}, int, XLinearTrainOptions)"/> gives the same model, byte for byte once saved. Matcher-aware negatives (MAN) need the
/// beam of every level above, across subtrees, and are refused.
/// </summary>
public static class PartitionedTraining
{
    /// <summary>The label tree <see cref="XLinearTrainer.Train(CsrMatrix, CsrMatrix, XLinearTrainOptions, IProgress{TrainingProgress}?, CancellationToken)"/> would build (<see cref="XLinearTrainer.BuildTree"/>).</summary>
    /// <exception cref="ArgumentException">Shapes disagree, there are no labels, or the options ask for MAN negatives or several trees.</exception>
    public static ClusterChain BuildTree(CsrMatrix x, CsrMatrix y, XLinearTrainOptions options, CancellationToken cancellationToken = default)
    {
        Check(x, y, options);
        return XLinearTrainer.BuildTree(x, y, options, null, cancellationToken);
    }

    /// <summary>
    /// Trains levels [<paramref name="firstLevel"/>, <paramref name="endLevel"/>) of <paramref name="chain"/>. With
    /// <paramref name="subtreeRoots"/> (node ids of level firstLevel-1), only their descendants are trained and every
    /// other column is empty; without, every node is.
    /// </summary>
    /// <returns>One (D+1) x (nodes of the level) weight matrix per trained level.</returns>
    /// <exception cref="ArgumentException">Shapes disagree, the levels or roots are out of range, or the options ask for MAN negatives or several trees.</exception>
    public static CscMatrix[] TrainLevels(CsrMatrix x, CsrMatrix y, ClusterChain chain, XLinearTrainOptions options, int firstLevel, int endLevel,
        IReadOnlyCollection<int>? subtreeRoots = null, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        Check(x, y, options);
        ArgumentNullException.ThrowIfNull(chain);
        if (chain.LabelCount != y.Cols) throw new ArgumentException($"The tree has {chain.LabelCount} labels but Y has {y.Cols} columns.", nameof(chain));
        if (firstLevel < 0 || endLevel > chain.Depth || firstLevel >= endLevel)
            throw new ArgumentException($"levels [{firstLevel}, {endLevel}) are not a range of the tree's {chain.Depth} levels.", nameof(firstLevel));
        if (subtreeRoots is not null && firstLevel == 0) throw new ArgumentException("subtree roots need a first level of at least 1.", nameof(subtreeRoots));
        var owned = subtreeRoots is null ? null : Descendants(chain, firstLevel - 1, subtreeRoots, endLevel);
        return XLinearTrainer.TrainLevels(x, y, chain, options, firstLevel, endLevel, owned, progress, cancellationToken);
    }

    /// <summary>
    /// The model of <paramref name="chain"/> from per-level weights trained by different jobs: column j of level t is
    /// taken from the one part that holds a non-empty column there (parts hold disjoint nodes; a node no job trained
    /// stays empty, as it is in a full run when it has no training instances).
    /// </summary>
    /// <param name="chain">The tree.</param>
    /// <param name="parts">Per part, a weight matrix per level (null where the part trained nothing on that level).</param>
    /// <param name="featureCount">Input dimension D.</param>
    /// <param name="bias">The bias feature's value.</param>
    /// <exception cref="ArgumentException">A level has no part, shapes disagree, or two parts hold the same column.</exception>
    public static Models.XLinearModel Assemble(ClusterChain chain, IReadOnlyList<CscMatrix?[]> parts, int featureCount, float bias) =>
        AssembleLevels(chain, parts, featureCount, bias);

    /// <summary>
    /// <see cref="Assemble(ClusterChain, IReadOnlyList{CscMatrix[]}, int, float)"/> for parts trained with
    /// <paramref name="options"/> on the tree <see cref="BuildTree"/> gave: the model
    /// <see cref="XLinearTrainer.Train(CsrMatrix, CsrMatrix, XLinearTrainOptions, IProgress{TrainingProgress}?, CancellationToken)"/>
    /// trains, with the same <see cref="TrainingRecord"/>.
    /// </summary>
    /// <exception cref="ArgumentException">A level has no part, shapes disagree, two parts hold the same column, or the options could not have trained parts.</exception>
    public static Models.XLinearModel Assemble(ClusterChain chain, IReadOnlyList<CscMatrix?[]> parts, int featureCount, XLinearTrainOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        CheckOptions(options);
        return TrainingRecord.Attach(AssembleLevels(chain, parts, featureCount, options.Bias), TrainingRecord.From(options));
    }

    private static Models.XLinearModel AssembleLevels(ClusterChain chain, IReadOnlyList<CscMatrix?[]> parts, int featureCount, float bias)
    {
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(parts);
        var levels = new CscMatrix[chain.Depth];
        for (int t = 0; t < chain.Depth; t++)
        {
            var here = parts.Where(p => p.Length > t && p[t] is not null).Select(p => p[t]!).ToArray();
            if (here.Length == 0) throw new ArgumentException($"no part holds level {t}.", nameof(parts));
            int nodes = chain.Levels[t].Rows;
            var source = new int[nodes];
            Array.Fill(source, -1);
            for (int i = 0; i < here.Length; i++)
            {
                if (here[i].Cols != nodes || here[i].Rows != featureCount + 1)
                    throw new ArgumentException($"a part of level {t} is {here[i].Rows} x {here[i].Cols}; expected {featureCount + 1} x {nodes}.", nameof(parts));
                for (int j = 0; j < nodes; j++)
                {
                    if (here[i].ColumnLength(j) == 0) continue;
                    if (source[j] >= 0) throw new ArgumentException($"node {j} of level {t} was trained by two parts.", nameof(parts));
                    source[j] = i;
                }
            }
            var ptr = new long[nodes + 1];
            for (int j = 0; j < nodes; j++) ptr[j + 1] = ptr[j] + (source[j] < 0 ? 0 : here[source[j]].ColumnLength(j));
            var rows = new int[ptr[nodes]];
            var values = new float[ptr[nodes]];
            for (int j = 0; j < nodes; j++)
            {
                if (source[j] < 0) continue;
                var column = here[source[j]].Column(j);
                column.Indices.CopyTo(rows.AsSpan((int)ptr[j]));
                column.Values.CopyTo(values.AsSpan((int)ptr[j]));
            }
            levels[t] = new CscMatrix(featureCount + 1, nodes, ptr, rows, values);
        }
        return new Models.XLinearModel(chain, levels, featureCount, bias);
    }

    private static void Check(CsrMatrix x, CsrMatrix y, XLinearTrainOptions options)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(options);
        CheckOptions(options);
        if (x.Rows != y.Rows) throw new ArgumentException($"X has {x.Rows} rows but Y has {y.Rows}; they need one row per instance.", nameof(y));
        if (y.Cols == 0) throw new ArgumentException("Y has no label columns; there is nothing to train.", nameof(y));
    }

    private static void CheckOptions(XLinearTrainOptions options)
    {
        if (options.Negatives.HasFlag(NegativeSampling.Man))
            throw new ArgumentException("partitioned training needs teacher-forced negatives only (tfn): matcher-aware negatives depend on the beam of every level above, across subtrees.", nameof(options));
        if (options.Trees != 1) throw new ArgumentException($"partitioned training trains one tree; got {options.Trees}.", nameof(options));
    }

    /// <summary>Per level (index t; null above <paramref name="rootLevel"/>), which nodes descend from the roots.</summary>
    private static bool[]?[] Descendants(ClusterChain chain, int rootLevel, IReadOnlyCollection<int> roots, int endLevel)
    {
        var owned = new bool[]?[chain.Depth];
        var top = new bool[chain.Levels[rootLevel].Rows];
        foreach (int r in roots)
        {
            if ((uint)r >= (uint)top.Length) throw new ArgumentException($"subtree root {r} is not a node of level {rootLevel} ({top.Length} nodes).", nameof(roots));
            top[r] = true;
        }
        owned[rootLevel] = top;
        for (int t = rootLevel + 1; t < endLevel; t++)
        {
            var above = owned[t - 1]!;
            var here = new bool[chain.Levels[t].Rows];
            for (int j = 0; j < here.Length; j++) here[j] = above[chain.Parent(t, j)];
            owned[t] = here;
        }
        return owned;
    }
}
