using XmrEngine.Sparse;

namespace XmrEngine.Inference;

/// <summary>
/// The <see cref="ILevelScorer"/> of batch prediction: one query row's scores were already computed for the
/// whole block by one masked product, so "scoring" a parent's children is reading them back from that row.
/// This lets the batch search move each row's beam with the same <see cref="BeamSearch.Step"/> as the
/// single-query search. The mask row holds the children of every beam node ascending by id; each child is
/// found by binary search, with a fast path for the usual tree whose families are runs of consecutive ids.
/// One per worker thread (it holds the current row); the arrays it reads are shared and read-only.
/// </summary>
internal sealed class MaskedRowScorer(TreeLevel tree, CsrMatrix mask, float[] rawScores) : ILevelScorer
{
    private int _start, _length;

    public TreeLevel Tree { get; } = tree;

    /// <summary>Points the scorer at row <paramref name="row"/> of the mask and the raw scores.</summary>
    public void MoveTo(int row)
    {
        _start = checked((int)mask.Pointers[row]);
        _length = mask.RowLength(row);
    }

    /// <exception cref="InvalidOperationException"><paramref name="parent"/>'s children are not in the current row (the mask was not built from this beam).</exception>
    public void ScoreChildren(int parent, in QueryVector query, PredictWorkspace workspace, Span<float> scores)
    {
        var columns = mask.Indices.Slice(_start, _length);
        var raw = rawScores.AsSpan(_start, _length);
        var children = Tree.Children(parent);
        int run = children.Length > 0 ? columns.BinarySearch(children[0]) : -1;
        for (int j = 0; j < children.Length; j++)
        {
            int c = children[j];
            int at = run >= 0 && run + j < columns.Length && columns[run + j] == c ? run + j : columns.BinarySearch(c);
            if (at < 0) throw new InvalidOperationException($"Child {c} of node {parent} is not in the batch mask row.");
            scores[j] = raw[at];
        }
    }
}
