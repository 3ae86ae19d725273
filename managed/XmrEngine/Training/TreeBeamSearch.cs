using XmrEngine.Kernels;
using XmrEngine.Common;
using XmrEngine.Inference;
using XmrEngine.Models;
using XmrEngine.Sparse;

namespace XmrEngine.Training;

/// <summary>
/// Beam search over a tree whose weights are still plain CSC matrices, used by training to find
/// matcher-aware negatives level by level (and by tests to evaluate models). Each instance's beam is
/// moved down with the inference layer's <see cref="BeamSearch.Step"/> over a <see cref="GatherLevelScorer"/>,
/// with PECOS's l3-hinge post-processor, so mining and serving share one search and one scoring rule.
/// Deterministic for any thread count.
/// </summary>
internal static class TreeBeamSearch
{
    private const int InstanceBlock = 64;

    // The post-processor MAN mining has always used; it does not follow a model's prediction defaults.
    private static readonly PostProcessor Post = PostProcessor.L3Hinge;

    /// <summary>Runs the whole search and returns the last level's beam (the top labels per instance).</summary>
    public static BeamSet Predict(XLinearModel model, CsrMatrix x, int beamSize, int topK, int threads)
    {
        var beam = BeamSet.Root(x.Rows);
        for (int t = 0; t < model.Chain.Depth; t++)
        {
            int width = t == model.Chain.Depth - 1 ? topK : beamSize;
            beam = Extend(x, beam, model.Weights[t], model.Chain.Levels[t], model.Bias, width, combine: t > 0, threads);
        }
        return beam;
    }

    /// <summary>Moves every instance's beam one level down.</summary>
    /// <param name="x">Inputs, n x D.</param>
    /// <param name="previous">Beam over the parents (level t-1, or <see cref="BeamSet.Root"/>).</param>
    /// <param name="weights">(D+1) x nodes of level t, bias in row D.</param>
    /// <param name="level">Chain level t (children x parents).</param>
    /// <param name="bias">Value of the bias feature.</param>
    /// <param name="beamSize">How many nodes to keep per instance.</param>
    /// <param name="combine">False at level 0, whose parent is the root (see <see cref="BeamSelection"/>).</param>
    /// <param name="threads">Worker threads (0 = all cores).</param>
    /// <param name="kernels">The training run's kernel backend for the gather-dots; null for managed.</param>
    /// <param name="post">The post-processor that scores the nodes; null for l3-hinge.</param>
    public static BeamSet Extend(CsrMatrix x, BeamSet previous, CscMatrix weights, CsrMatrix level, float bias, int beamSize, bool combine, int threads,
        SparseKernels? kernels = null, PostProcessor? post = null)
    {
        post ??= Post;
        var scorer = new GatherLevelScorer(new TreeLevel(level), weights, kernels);
        int n = x.Rows;
        using var rows = new TopKRows(n, beamSize, "BeamSize");
        // A workspace per worker, not the thread's serving workspace: its dense buffer (D + 1 floats)
        // is garbage once training ends instead of staying attached to pool threads.
        ParallelBlocks.Run(n, InstanceBlock, ThreadCount.Resolve(threads),
            () => NewWorkspace(scorer.Tree.MaxChildren, beamSize),
            (_, start, end, ws) =>
            {
                for (int i = start; i < end; i++)
                {
                    var row = x.Row(i);
                    var query = new QueryVector(row.Indices, row.Values, bias);
                    int m = BeamSearch.Step(scorer, query, previous.NodesOf(i), previous.ScoresOf(i), post, combine, beamSize, ws,
                        rows.Labels(i), rows.Scores(i));
                    ws.EndQuery(query);
                    rows.CommitRanked(i, m);
                }
            });
        var (ptr, nodes, scores) = rows.Pack();
        return new BeamSet(ptr, nodes, scores);
    }

    private static PredictWorkspace NewWorkspace(int maxChildren, int beamSize)
    {
        var ws = new PredictWorkspace();
        ws.Ensure(maxChildren, beamSize);
        return ws;
    }
}
