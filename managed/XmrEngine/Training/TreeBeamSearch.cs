using System.Runtime.CompilerServices;
using XmrEngine.Indexing;
using XmrEngine.Inference;
using XmrEngine.Kernels;
using XmrEngine.Models;
using XmrEngine.Sparse;
using XmrEngine.Common;

namespace XmrEngine.Training;

/// <summary>
/// A plain beam search over a trained tree, used by training to find matcher-aware negatives (and
/// by tests to evaluate models). At each level the children of the beam's nodes are scored with
/// s = w . [x; bias], transformed by PECOS's l3-hinge post-processor exp(-max(0, 1 - s)^3), multiplied
/// by the parent's score, and the best <c>beamSize</c> are kept (ties: lower node id first).
/// Deterministic for any thread count. The production predictor lives in the inference layer.
/// </summary>
internal static class TreeBeamSearch
{
    private const int InstanceBlock = 64;

    // The same post-processor object the predictor uses, so training's matcher and serving cannot drift apart.
    private static readonly PostProcessor Post = PostProcessor.L3Hinge;

    /// <summary>Runs the whole search and returns the last level's beam (the top labels per instance).</summary>
    public static BeamSet Predict(XLinearModel model, CsrMatrix x, int beamSize, int topK, int threads)
    {
        var beam = BeamSet.Root(x.Rows);
        for (int t = 0; t < model.Chain.Depth; t++)
        {
            int width = t == model.Chain.Depth - 1 ? topK : beamSize;
            beam = Extend(x, beam, model.Weights[t], model.Chain.Levels[t], model.Bias, width, threads);
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
    /// <param name="threads">Worker threads (0 = all cores).</param>
    public static BeamSet Extend(CsrMatrix x, BeamSet previous, CscMatrix weights, CsrMatrix level, float bias, int beamSize, int threads)
    {
        int n = x.Rows;
        int d = x.Cols;
        var children = level.Transpose();
        var counts = new int[n];
        var nodes = new int[(long)n * beamSize];
        var scores = new float[(long)n * beamSize];
        ParallelBlocks.Run(n, InstanceBlock, ThreadCount.Resolve(threads),
            () => new Scratch(d + 1, bias),
            (_, start, end, s) =>
            {
                for (int i = start; i < end; i++)
                    counts[i] = ExtendOne(x.Row(i), previous.NodesOf(i), previous.ScoresOf(i), weights, children, s,
                        nodes.AsSpan(i * beamSize, beamSize), scores.AsSpan(i * beamSize, beamSize));
            });
        var ptr = new long[n + 1];
        for (int i = 0; i < n; i++) ptr[i + 1] = ptr[i] + counts[i];
        var outNodes = new int[ptr[n]];
        var outScores = new float[ptr[n]];
        for (int i = 0; i < n; i++)
        {
            nodes.AsSpan(i * beamSize, counts[i]).CopyTo(outNodes.AsSpan((int)ptr[i]));
            scores.AsSpan(i * beamSize, counts[i]).CopyTo(outScores.AsSpan((int)ptr[i]));
        }
        return new BeamSet(ptr, outNodes, outScores);
    }

    // Hot loop: compile fully optimised at once instead of starting at tier 0 (matters for one-shot training runs).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int ExtendOne(SparseVector row, ReadOnlySpan<int> parents, ReadOnlySpan<float> parentScores, CscMatrix weights,
        CsrMatrix children, Scratch s, Span<int> outNodes, Span<float> outScores)
    {
        var dense = s.Dense;
        for (int k = 0; k < row.Length; k++) dense[row.Indices[k]] = row.Values[k];
        s.Candidates.Clear();
        for (int p = 0; p < parents.Length; p++)
        {
            foreach (int c in children.RowIndices(parents[p]))
            {
                var col = weights.Column(c);
                float score = VectorMath.GatherDot(col.Indices, col.Values, dense);
                s.Candidates.Add((Post.Combine(Post.Transform(score), parentScores[p]), c));
            }
        }
        for (int k = 0; k < row.Length; k++) dense[row.Indices[k]] = 0f;
        var cand = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(s.Candidates);
        cand.Sort(static (a, b) => a.Score != b.Score ? b.Score.CompareTo(a.Score) : a.Node.CompareTo(b.Node));
        int kept = Math.Min(cand.Length, outNodes.Length);
        for (int k = 0; k < kept; k++)
        {
            outNodes[k] = cand[k].Node;
            outScores[k] = cand[k].Score;
        }
        return kept;
    }

    /// <summary>Per-worker buffers: the input scattered densely (bias at index D) and the candidate list.</summary>
    private sealed class Scratch
    {
        public Scratch(int width, float bias)
        {
            Dense = new float[width];
            Dense[width - 1] = bias;
        }

        public float[] Dense { get; }

        public List<(float Score, int Node)> Candidates { get; } = new();
    }
}
