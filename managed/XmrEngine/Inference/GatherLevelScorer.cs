using XmrEngine.Kernels;
using XmrEngine.Sparse;

namespace XmrEngine.Inference;

/// <summary>
/// Scores a level straight from its trained CSC weights, with no compilation step: the query is
/// scattered once into the workspace's dense buffer with the bias at index D, and each child's column
/// is gather-dotted against it on the training run's kernel backend (<see cref="SparseKernels.GatherDot"/>). Training's matcher-aware negative
/// mining uses it on the weights it has just trained; the SIMD accumulation order is what models trained
/// with MAN negatives have always been built with, so it is kept apart from <see cref="CscLevelScorer"/>'s
/// sequential merge rather than merged into it.
/// </summary>
internal sealed class GatherLevelScorer : ILevelScorer
{
    private readonly CscMatrix _weights;
    private readonly int _biasRow;
    private readonly SparseKernels _kernels;
    private readonly bool _managedKernels;

    /// <inheritdoc />
    public TreeLevel Tree { get; }

    /// <summary>Scores the children of <paramref name="tree"/> with <paramref name="weights"/>, (D+1) x nodes with the bias in row D,
    /// gather-dotting on <paramref name="kernels"/> (null: managed).</summary>
    /// <exception cref="ArgumentException">The weights do not have one column per node of the level.</exception>
    public GatherLevelScorer(TreeLevel tree, CscMatrix weights, SparseKernels? kernels = null)
    {
        Tree = tree;
        _kernels = kernels ?? ManagedKernels.Instance;
        // The managed gather is called directly so the JIT can inline it, as the chunked scorer does.
        _managedKernels = _kernels is ManagedKernels;
        if (weights.Cols != tree.NodeCount)
            throw new ArgumentException($"The weights have {weights.Cols} columns but the level has {tree.NodeCount} nodes.", nameof(weights));
        _weights = weights;
        _biasRow = weights.Rows - 1;
    }

    /// <inheritdoc />
    public void ScoreChildren(int parent, in QueryVector query, PredictWorkspace workspace, Span<float> scores)
    {
        // Column ids reach the bias row, and gathers do not bounds-check: the buffer spans [0, D].
        var dense = workspace.DenseWithBias(query, _biasRow);
        var children = Tree.Children(parent);
        for (int j = 0; j < children.Length; j++)
        {
            var column = _weights.Column(children[j]);
            scores[j] = _managedKernels
                ? VectorMath.GatherDot(column.Indices, column.Values, dense)
                : _kernels.GatherDotTrusted(column.Indices, column.Values, dense);
        }
    }
}
