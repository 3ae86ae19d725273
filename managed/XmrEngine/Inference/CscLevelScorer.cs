using XmrEngine.Sparse;

namespace XmrEngine.Inference;

/// <summary>
/// Reference scorer: each child's score is the sparse-sparse dot product of its CSC weight column with
/// the query plus the bias feature. Simple and obviously correct; the chunked scorer is tested against it.
/// </summary>
internal sealed class CscLevelScorer : ILevelScorer
{
    private readonly CscMatrix _weights;
    private readonly int _biasRow;

    /// <inheritdoc />
    public TreeLevel Tree { get; }

    public CscLevelScorer(TreeLevel tree, CscMatrix weights)
    {
        Tree = tree;
        _weights = weights;
        _biasRow = weights.Rows - 1;
    }

    /// <inheritdoc />
    public void ScoreChildren(int parent, in QueryVector query, PredictWorkspace workspace, Span<float> scores)
    {
        var children = Tree.Children(parent);
        for (int j = 0; j < children.Length; j++)
            scores[j] = Dot(query, _weights.Column(children[j]).Indices, _weights.Column(children[j]).Values, _biasRow);
    }

    /// <summary>Linear merge of the sorted query ids with the column's sorted row ids; the bias row is last.</summary>
    private static float Dot(in QueryVector q, ReadOnlySpan<int> rows, ReadOnlySpan<float> w, int biasRow)
    {
        float sum = 0f;
        var qi = q.Indices;
        int a = 0, b = 0;
        while (a < qi.Length && b < rows.Length)
        {
            if (qi[a] == rows[b]) sum += q.Values[a++] * w[b++];
            else if (qi[a] < rows[b]) a++;
            else b++;
        }
        if (rows.Length > 0 && rows[^1] == biasRow) sum += q.Bias * w[^1];
        return sum;
    }
}
