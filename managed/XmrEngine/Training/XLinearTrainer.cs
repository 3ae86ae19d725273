using XmrEngine.Common;
using XmrEngine.Indexing;
using XmrEngine.Kernels;
using XmrEngine.Models;
using XmrEngine.Sparse;

namespace XmrEngine.Training;

/// <summary>
/// Trains PECOS's XR-Linear model: a label tree (PIFA embeddings + balanced hierarchical k-means,
/// unless a tree is supplied) and one L2-regularised linear classifier per tree node, level by level
/// from the top. A node's training instances are its parent's candidates — instances with a true
/// label under the parent (TFN), instances the trained upper levels route to the parent (MAN), or
/// both — plus its own positives. Weights are pruned per node, so a dense weight matrix never exists.
/// The result is identical for any thread count.
/// </summary>
public static class XLinearTrainer
{
    /// <summary>
    /// Builds the tree (<see cref="BuildTree"/>), then trains. Every kernel of the run (product, centroids, solves,
    /// MAN mining) runs on <see cref="XLinearTrainOptions.Kernels"/>. The model carries its <see cref="TrainingRecord"/>.
    /// </summary>
    /// <param name="x">Instances x features, rows expected L2-normalised.</param>
    /// <param name="y">Instances x labels; stored non-zero entries are the positives.</param>
    /// <param name="options">Training options (<see cref="XLinearTrainOptions.Trees"/> is not read: this trains one tree).</param>
    /// <param name="progress">Receives per-level node counts as nodes finish.</param>
    /// <param name="cancellationToken">Stops training between nodes.</param>
    /// <exception cref="ArgumentException">Shapes disagree or there are no labels.</exception>
    public static XLinearModel Train(CsrMatrix x, CsrMatrix y, XLinearTrainOptions options,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        CheckInputs(x, y, options);
        var chain = BuildTrees(x, y, null, 1, 1, _ => options, null, options.Threads, options.Kernels, cancellationToken)[0];
        var model = Train(x, y, chain, options, progress, null, 0, cancellationToken);
        return TrainingRecord.Attach(model, TrainingRecord.From(options with { Trees = 1 }));
    }

    /// <summary>
    /// The label tree <see cref="Train(CsrMatrix, CsrMatrix, XLinearTrainOptions, IProgress{TrainingProgress}?, CancellationToken)"/>
    /// builds: each label's PIFA embedding (the normalised sum of its positive rows), optionally beside features of the
    /// label's own, split by balanced hierarchical k-means into <see cref="XLinearTrainOptions.Indexer"/>'s shape, seeded
    /// with <see cref="XLinearTrainOptions.Seed"/>, on <see cref="XLinearTrainOptions.Kernels"/>. Every trainer that builds
    /// a tree from the data builds it here (the ensemble's trees too, sharing one embedding).
    /// </summary>
    /// <param name="x">Instances x features, rows expected L2-normalised.</param>
    /// <param name="y">Instances x labels; stored non-zero entries are the positives.</param>
    /// <param name="options">Training options; the tree shape, seed, threads and backend are read.</param>
    /// <param name="labelFeatures">Labels x features of the labels' own (for example item texts), placed beside the PIFA
    /// embedding (<see cref="LabelEmbedding.PifaConcat"/>); null for PIFA alone.</param>
    /// <param name="cancellationToken">Stops the build between nodes.</param>
    /// <exception cref="ArgumentException">Shapes disagree or there are no labels.</exception>
    public static ClusterChain BuildTree(CsrMatrix x, CsrMatrix y, XLinearTrainOptions options, CsrMatrix? labelFeatures = null,
        CancellationToken cancellationToken = default)
    {
        CheckInputs(x, y, options);
        return BuildTrees(x, y, labelFeatures, 1, 1, _ => options, null, options.Threads, options.Kernels, cancellationToken)[0];
    }

    /// <summary>
    /// Trains <see cref="XLinearTrainOptions.Trees"/> models on different trees: tree i is built and trained
    /// with seed <see cref="XLinearTrainOptions.Seed"/> + i (k-means splits and solver order). Up to <see cref="XLinearTrainOptions.Threads"/>
    /// trees train at once, each on an equal share of the threads; X, Y and the PIFA embedding are computed
    /// once and shared by every tree (read-only, never copied). The result does not depend on the thread count. Tree 0 equals what <see cref="Train(CsrMatrix, CsrMatrix, XLinearTrainOptions, IProgress{TrainingProgress}?, CancellationToken)"/> returns.
    /// The ensemble (and each tree) carries its <see cref="TrainingRecord"/>.
    /// </summary>
    /// <param name="x">Instances x features, rows expected L2-normalised.</param>
    /// <param name="y">Instances x labels; stored non-zero entries are the positives.</param>
    /// <param name="options">Training options.</param>
    /// <param name="progress">Receives per-level node counts as nodes finish (<see cref="TrainingProgress.Tree"/> says which tree).</param>
    /// <param name="cancellationToken">Stops training between nodes.</param>
    /// <exception cref="ArgumentException">Shapes disagree or there are no labels.</exception>
    public static XLinearEnsemble TrainEnsemble(CsrMatrix x, CsrMatrix y, XLinearTrainOptions options,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default) =>
        TrainEnsemble(x, y, options, checkpoint: null, progress, cancellationToken);

    /// <summary>
    /// <see cref="TrainEnsemble(CsrMatrix, CsrMatrix, XLinearTrainOptions, IProgress{TrainingProgress}?, CancellationToken)"/>
    /// that stores each built tree and each trained level in <paramref name="checkpoint"/> and takes whatever an
    /// earlier, interrupted run stored there instead of computing it again; the model is the same either way.
    /// The checkpoint must belong to the same X, Y and options (<c>TrainingCheckpointDirectory</c> checks that).
    /// </summary>
    /// <param name="x">Instances x features, rows expected L2-normalised.</param>
    /// <param name="y">Instances x labels; stored non-zero entries are the positives.</param>
    /// <param name="options">Training options.</param>
    /// <param name="checkpoint">Where finished trees and levels are kept; null for none.</param>
    /// <param name="progress">Receives per-level node counts as nodes finish.</param>
    /// <param name="cancellationToken">Stops training between nodes.</param>
    /// <exception cref="ArgumentException">Shapes disagree, there are no labels, or a stored piece does not fit.</exception>
    public static XLinearEnsemble TrainEnsemble(CsrMatrix x, CsrMatrix y, XLinearTrainOptions options, ITrainingCheckpoint? checkpoint,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        CheckInputs(x, y, options);
        var trees = new XLinearModel[options.Trees];
        // Trees build and train side by side, each on an equal share of the threads (the model never depends on the
        // thread count, so this only changes the time): one tree's serial stretches (the top k-means splits, the
        // barrier at the end of each level) then overlap with another tree's work.
        int threads = ThreadCount.Resolve(options.Threads);
        int concurrent = Math.Min(trees.Length, threads);
        int perTree = Math.Max(1, threads / concurrent);
        XLinearTrainOptions TreeOptions(int i) => options with { Seed = options.Seed + i, Threads = perTree };
        // Every tree first, then the training: the label embedding (as large as X or larger) is unreachable once
        // BuildTrees returns, so it is not held through training, the stage with the highest peak.
        var chains = BuildTrees(x, y, null, trees.Length, concurrent, TreeOptions, checkpoint, options.Threads, options.Kernels, cancellationToken);
        ForEachTree(trees.Length, concurrent, i =>
        {
            var treeProgress = progress is null ? null : new TreeProgress(progress, i, trees.Length);
            trees[i] = Train(x, y, chains[i], TreeOptions(i), treeProgress, checkpoint, i, cancellationToken);
            TrainingRecord.Attach(trees[i], TrainingRecord.From(TreeOptions(i) with { Trees = 1 }));
            chains[i] = null!; // the model holds the tree now
        }, cancellationToken);
        return TrainingRecord.Attach(new XLinearEnsemble(trees), TrainingRecord.From(options));
    }

    /// <summary>
    /// Every tree's label tree: from the checkpoint where an earlier run stored it, otherwise built from the label
    /// embedding (computed once, and only when some tree needs it) with tree i's seed, and stored. The one place a
    /// label tree is built from the data.
    /// </summary>
    private static ClusterChain[] BuildTrees(CsrMatrix x, CsrMatrix y, CsrMatrix? labelFeatures, int count, int concurrent, Func<int, XLinearTrainOptions> treeOptions,
        ITrainingCheckpoint? checkpoint, int threads, SparseKernels kernels, CancellationToken cancellationToken)
    {
        var chains = new ClusterChain[count];
        for (int i = 0; i < count; i++)
        {
            var stored = checkpoint?.LoadTree(i);
            if (stored is null) continue;
            if (stored.LabelCount != y.Cols)
                throw new ArgumentException($"The checkpoint's tree {i} has {stored.LabelCount} labels but Y has {y.Cols} columns.", nameof(checkpoint));
            chains[i] = stored;
        }
        if (chains.All(c => c is not null)) return chains;
        var z = labelFeatures is null ? LabelEmbedding.Pifa(x, y, kernels, threads) : LabelEmbedding.PifaConcat(x, y, labelFeatures, kernels, threads);
        var missing = Enumerable.Range(0, count).Where(i => chains[i] is null).ToArray();
        ForEachTree(missing.Length, Math.Min(concurrent, missing.Length), m =>
        {
            int i = missing[m];
            var o = treeOptions(i);
            chains[i] = new HierarchicalKMeansIndexer(o.Indexer, o.Seed, o.Threads).Build(z, kernels, cancellationToken);
            checkpoint?.SaveTree(i, chains[i]);
        }, cancellationToken);
        return chains;
    }

    /// <summary>Runs <paramref name="action"/> for every tree, <paramref name="concurrent"/> at a time, rethrowing a single failure as itself.</summary>
    private static void ForEachTree(int count, int concurrent, Action<int> action, CancellationToken cancellationToken)
    {
        if (concurrent == 1)
        {
            for (int i = 0; i < count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                action(i);
            }
            return;
        }
        try
        {
            Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = concurrent, CancellationToken = cancellationToken }, action);
        }
        catch (AggregateException ae) when (ae.InnerExceptions.Count == 1)
        {
            // Callers see the exception a sequential run would throw, not a wrapper.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(ae.InnerExceptions[0]);
        }
    }

    /// <summary>Stamps one tree's index and the tree count on the progress reports of its training.</summary>
    private sealed class TreeProgress(IProgress<TrainingProgress> inner, int tree, int trees) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => inner.Report(value with { Tree = tree, TreeCount = trees });
    }

    /// <summary>Trains on a prebuilt tree whose last level has one row per column of <paramref name="y"/>.</summary>
    /// <param name="x">Instances x features, rows expected L2-normalised.</param>
    /// <param name="y">Instances x labels; stored non-zero entries are the positives.</param>
    /// <param name="chain">The label tree.</param>
    /// <param name="options">Training options (<see cref="XLinearTrainOptions.Indexer"/> is not used).</param>
    /// <param name="progress">Receives per-level node counts as nodes finish.</param>
    /// <param name="cancellationToken">Stops training between nodes.</param>
    /// <returns>The model, without a <see cref="TrainingRecord"/>: how the supplied tree was built is not known here.</returns>
    /// <exception cref="ArgumentException">Shapes disagree, there are no labels, or the tree's label count differs from Y's.</exception>
    public static XLinearModel Train(CsrMatrix x, CsrMatrix y, ClusterChain chain, XLinearTrainOptions options,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        CheckInputs(x, y, options);
        return Train(x, y, chain, options, progress, null, 0, cancellationToken);
    }

    private static XLinearModel Train(CsrMatrix x, CsrMatrix y, ClusterChain chain, XLinearTrainOptions options,
        IProgress<TrainingProgress>? progress, ITrainingCheckpoint? checkpoint, int tree, CancellationToken cancellationToken)
    {
        var kernels = options.Kernels;
        ArgumentNullException.ThrowIfNull(chain);
        if (chain.LabelCount != y.Cols)
            throw new ArgumentException($"The tree has {chain.LabelCount} labels but Y has {y.Cols} columns.", nameof(chain));

        int n = x.Rows, depth = chain.Depth;
        var positivesPerLevel = PositivesPerLevel(y, chain, 0, depth);
        var costs = options.Relevance is null ? null
            : RelevanceChain.Build(y, options.Relevance, NodeOfLabelPerLevel(chain), chain.Levels.Select(l => l.Rows).ToArray());

        bool teacher = options.Negatives.HasFlag(NegativeSampling.Tfn);
        bool matcher = options.Negatives.HasFlag(NegativeSampling.Man);
        var trainer = new LevelTrainer(x, options, kernels);
        var weights = new CscMatrix[depth];
        var beam = matcher ? BeamSet.Root(n) : null;
        NodeInstanceLists? routed = null;
        for (int t = 0; t < depth; t++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var stored = checkpoint?.LoadLevel(tree, t);
            if (stored is not null && (stored.Rows != x.Cols + 1 || stored.Cols != chain.Levels[t].Rows))
                throw new ArgumentException($"The checkpoint's level {t} of tree {tree} is {stored.Rows} x {stored.Cols}; this training needs {x.Cols + 1} x {chain.Levels[t].Rows}.", nameof(checkpoint));
            if (stored is not null)
            {
                weights[t] = stored;
                progress?.Report(new TrainingProgress(t, depth, chain.Levels[t].Rows, chain.Levels[t].Rows));
            }
            else
            {
                weights[t] = trainer.Train(t, depth, chain.Levels[t], positivesPerLevel[t],
                    t > 0 && teacher ? positivesPerLevel[t - 1] : null,
                    t > 0 && matcher ? routed : null,
                    allInstances: t == 0, progress, cancellationToken, costs: costs?[t]);
                checkpoint?.SaveLevel(tree, t, weights[t]);
            }
            if (matcher && t + 1 < depth)
            {
                beam = TreeBeamSearch.Extend(x, beam!, weights[t], chain.Levels[t], options.Bias, options.ManBeamSize, combine: t > 0, options.Threads, kernels, options.ManPostProcessor);
                routed = NodeInstanceLists.Build(n, beam.Ptr, beam.Nodes, null, chain.Levels[t].Rows);
            }
        }
        return new XLinearModel(chain, weights, x.Cols, options.Bias);
    }

    /// <summary>
    /// Levels [<paramref name="first"/>, <paramref name="end"/>) of the TFN training loop of <see cref="Train(CsrMatrix, CsrMatrix, ClusterChain, XLinearTrainOptions, IProgress{TrainingProgress}?, ITrainingCheckpoint?, int, CancellationToken)"/>,
    /// each restricted to the nodes flagged in <paramref name="owned"/> (all when null); see <see cref="PartitionedTraining"/>.
    /// </summary>
    internal static CscMatrix[] TrainLevels(CsrMatrix x, CsrMatrix y, ClusterChain chain, XLinearTrainOptions options,
        int first, int end, bool[]?[]? owned, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        int depth = chain.Depth;
        if (options.Relevance is not null)
            throw new NotSupportedException("Partitioned (cluster) training does not take relevance weights; train on one machine.");
        // Only the trained levels and the one above them (the teacher's candidates) are needed.
        var positivesPerLevel = PositivesPerLevel(y, chain, Math.Max(0, first - 1), end);
        var trainer = new LevelTrainer(x, options, options.Kernels);
        var weights = new CscMatrix[end - first];
        for (int t = first; t < end; t++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            weights[t - first] = trainer.Train(t, depth, chain.Levels[t], positivesPerLevel[t]!, t > 0 ? positivesPerLevel[t - 1] : null, null,
                allInstances: t == 0, progress, cancellationToken, owned?[t]);
        }
        return weights;
    }

    private static void CheckInputs(CsrMatrix x, CsrMatrix y, XLinearTrainOptions options)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(options);
        if (x.Rows != y.Rows)
            throw new ArgumentException($"X has {x.Rows} rows but Y has {y.Rows}; they need one row per instance.", nameof(y));
        if (y.Cols == 0)
            throw new ArgumentException("Y has no label columns; there is nothing to train.", nameof(y));
    }

    /// <summary>Per level t in [<paramref name="from"/>, <paramref name="end"/>), per node, the instances with a label under it; null elsewhere.</summary>
    private static NodeInstanceLists[] PositivesPerLevel(CsrMatrix y, ClusterChain chain, int from, int end)
    {
        var positives = y.Binarize();
        var nodeOfLabel = NodeOfLabelPerLevel(chain);
        var result = new NodeInstanceLists[chain.Depth];
        for (int t = from; t < end; t++)
            result[t] = NodeInstanceLists.Build(y.Rows, positives.Pointers, positives.Indices, nodeOfLabel[t], chain.Levels[t].Rows);
        return result;
    }

    /// <summary>For each level t, the node at level t that every label sits under.</summary>
    private static int[][] NodeOfLabelPerLevel(ClusterChain chain)
    {
        int depth = chain.Depth, labels = chain.LabelCount;
        var result = new int[depth][];
        var current = new int[labels];
        for (int l = 0; l < labels; l++) current[l] = l;
        result[depth - 1] = current;
        for (int t = depth - 2; t >= 0; t--)
        {
            var up = new int[labels];
            for (int l = 0; l < labels; l++) up[l] = chain.Parent(t + 1, current[l]);
            result[t] = up;
            current = up;
        }
        return result;
    }
}
