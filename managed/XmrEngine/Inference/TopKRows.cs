using XmrEngine.Sparse;

namespace XmrEngine.Inference;

/// <summary>
/// The batch predictors' output buffer: up to k (label, score) pairs per query row in a padded n x k block,
/// each row sorted by label as it is set, then packed into the n x labels CSR score matrix. Rows are
/// independent, so workers may set different rows concurrently.
/// </summary>
internal sealed class TopKRows
{
    /// <summary>Label + score while predicting, and the same again in the packed CSR result.</summary>
    private const int BytesPerEntry = 2 * (sizeof(int) + sizeof(float));

    private readonly int _k;
    private readonly int[] _labels;
    private readonly float[] _scores;
    private readonly int[] _counts;

    /// <exception cref="ArgumentOutOfRangeException">rows x k results cannot be held (see <see cref="ResultSize.Check"/>).</exception>
    public TopKRows(int rows, int k)
    {
        _k = k;
        _labels = new int[ResultSize.Check(rows, k, BytesPerEntry, "TopK")];
        _scores = new float[_labels.Length];
        _counts = new int[rows];
    }

    /// <summary>Space for row <paramref name="row"/>'s labels; fill the first m with <see cref="Scores"/>, then call <see cref="Commit"/>.</summary>
    public Span<int> Labels(int row) => _labels.AsSpan(Offset(row), _k);

    /// <summary>Space for row <paramref name="row"/>'s scores, aligned with <see cref="Labels"/>.</summary>
    public Span<float> Scores(int row) => _scores.AsSpan(Offset(row), _k);

    private int Offset(int row) => checked((int)((long)row * _k));

    /// <summary>Keeps the first <paramref name="m"/> entries written into <see cref="Labels"/> and <see cref="Scores"/> and sorts them by label.</summary>
    public void Commit(int row, int m)
    {
        Labels(row)[..m].Sort(Scores(row)[..m]);
        _counts[row] = m;
    }

    /// <summary>Packs the rows into an n x <paramref name="labelCount"/> CSR matrix (rows sorted by label).</summary>
    public CsrMatrix ToCsr(int labelCount)
    {
        int n = _counts.Length;
        var rowPtr = new long[n + 1];
        for (int i = 0; i < n; i++) rowPtr[i + 1] = rowPtr[i] + _counts[i];
        var colIdx = new int[rowPtr[n]];
        var vals = new float[rowPtr[n]];
        for (int i = 0; i < n; i++)
        {
            Labels(i)[.._counts[i]].CopyTo(colIdx.AsSpan((int)rowPtr[i]));
            Scores(i)[.._counts[i]].CopyTo(vals.AsSpan((int)rowPtr[i]));
        }
        return CsrMatrix.FromTrusted(n, labelCount, rowPtr, colIdx, vals);
    }
}
