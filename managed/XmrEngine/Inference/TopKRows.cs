using System.Buffers;
using XmrEngine.Sparse;

namespace XmrEngine.Inference;

/// <summary>
/// The one per-row top-k container: up to k (node or label, score) pairs per row in a padded n x k
/// block, and the one packer from such rows to CSR. The batch predictors' outputs (committed sorted by
/// label for a CSR score matrix), the batch beam and training's MAN beams (committed best first) all
/// live in it. Rows are independent, so workers may fill different rows concurrently.
/// <para>
/// The block is scratch whatever the use (packing copies it), so it is rented from
/// <see cref="ArrayPool{T}.Shared"/> and returned by <see cref="Dispose"/>; nothing may be read after that.
/// </para>
/// </summary>
internal sealed class TopKRows : IDisposable
{
    /// <summary>Label + score while predicting, and the same again in the packed CSR result.</summary>
    private const int BytesPerEntry = 2 * (sizeof(int) + sizeof(float));

    private readonly int _k;
    private int[] _labels;
    private float[] _scores;
    private int[] _counts;
    private bool _returned;

    /// <summary>Space for <paramref name="rows"/> rows of up to <paramref name="k"/> entries, every row empty.</summary>
    /// <param name="rows">Number of rows.</param>
    /// <param name="k">Most entries per row.</param>
    /// <param name="setting">The setting k comes from, named when rows x k cannot be held.</param>
    /// <exception cref="ArgumentOutOfRangeException">rows x k results cannot be held (see <see cref="ResultSize.Check"/>).</exception>
    public TopKRows(int rows, int k, string setting = "TopK")
    {
        _k = k;
        int entries = ResultSize.Check(rows, k, BytesPerEntry, setting);
        _labels = ArrayPool<int>.Shared.Rent(entries);
        _scores = ArrayPool<float>.Shared.Rent(entries);
        _counts = ArrayPool<int>.Shared.Rent(rows);
        // Rented arrays hold whatever their last user left; only the counts are read before being written.
        _counts.AsSpan(0, rows).Clear();
        Rows = rows;
    }

    /// <summary>Number of rows.</summary>
    public int Rows { get; }

    /// <summary>Most entries per row.</summary>
    public int Capacity => _k;

    /// <summary>Space for row <paramref name="row"/>'s labels; fill the first m with <see cref="Scores"/>, then commit m.</summary>
    public Span<int> Labels(int row) => _labels.AsSpan(Offset(row), _k);

    /// <summary>Space for row <paramref name="row"/>'s scores, aligned with <see cref="Labels"/>.</summary>
    public Span<float> Scores(int row) => _scores.AsSpan(Offset(row), _k);

    /// <summary>The committed labels of <paramref name="row"/>.</summary>
    public ReadOnlySpan<int> CommittedLabels(int row) => _labels.AsSpan(Offset(row), _counts[row]);

    /// <summary>The committed scores of <paramref name="row"/>, aligned with <see cref="CommittedLabels"/>.</summary>
    public ReadOnlySpan<float> CommittedScores(int row) => _scores.AsSpan(Offset(row), _counts[row]);

    private int Offset(int row) => checked((int)((long)row * _k));

    /// <summary>Keeps the first <paramref name="m"/> entries written into <see cref="Labels"/> and <see cref="Scores"/> and sorts them by label (CSR order).</summary>
    public void Commit(int row, int m)
    {
        Labels(row)[..m].Sort(Scores(row)[..m]);
        _counts[row] = m;
    }

    /// <summary>Keeps the first <paramref name="m"/> entries in the order written (a beam, best first).</summary>
    public void CommitRanked(int row, int m) => _counts[row] = m;

    /// <summary>Packs the committed rows into fresh CSR arrays: row pointers, labels, scores.</summary>
    public (long[] RowPointers, int[] Labels, float[] Scores) Pack()
    {
        int n = Rows;
        var rowPtr = new long[n + 1];
        for (int i = 0; i < n; i++) rowPtr[i + 1] = rowPtr[i] + _counts[i];
        var labels = new int[rowPtr[n]];
        var scores = new float[rowPtr[n]];
        for (int i = 0; i < n; i++)
        {
            CommittedLabels(i).CopyTo(labels.AsSpan((int)rowPtr[i]));
            CommittedScores(i).CopyTo(scores.AsSpan((int)rowPtr[i]));
        }
        return (rowPtr, labels, scores);
    }

    /// <summary>Packs the rows into an n x <paramref name="labelCount"/> CSR matrix; every row must have been committed with <see cref="Commit"/>.</summary>
    public CsrMatrix ToCsr(int labelCount)
    {
        var (rowPtr, labels, scores) = Pack();
        return CsrMatrix.FromTrusted(Rows, labelCount, rowPtr, labels, scores);
    }

    /// <summary>Returns the block to the pool. Idempotent.</summary>
    public void Dispose()
    {
        if (_returned) return;
        _returned = true;
        ArrayPool<int>.Shared.Return(_labels);
        ArrayPool<float>.Shared.Return(_scores);
        ArrayPool<int>.Shared.Return(_counts);
        _labels = [];
        _scores = [];
        _counts = [];
    }
}
