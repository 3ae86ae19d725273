namespace XmrEngine.Inference;

/// <summary>
/// Scratch memory for one prediction at a time: the beam, the candidate heap, a child-score buffer and
/// a lazily filled dense copy of the query. One per thread (see <see cref="Current"/>); buffers only grow,
/// so steady-state predictions allocate nothing. The dense query is cleared after every prediction,
/// which lets predictors of different models share one workspace per thread.
/// </summary>
internal sealed class PredictWorkspace
{
    [ThreadStatic] private static PredictWorkspace? t_current;

    /// <summary>The calling thread's workspace.</summary>
    public static PredictWorkspace Current => t_current ??= new PredictWorkspace();

    public float[] ChildScores = [];
    public int[] BeamNodes = [];
    public float[] BeamScores = [];
    public int BeamCount;
    public int[] HeapNodes = [];
    public float[] HeapScores = [];
    public float[] DenseQuery = [];
    public ScoredLabel[] Results = [];
    public float[] MatchedValues = [];
    public ScoredLabel[] TreeResults = [];
    public ulong[] MergeKeys = [];
    public int[] TreeResultLengths = [];
    private long[] _matchedRows = [];
    private bool _denseFilled;
    private int _biasAt = -1;

    /// <summary>Grows the buffers to hold <paramref name="maxChildren"/> child scores and <paramref name="k"/> beam entries.</summary>
    public void Ensure(int maxChildren, int k)
    {
        if (ChildScores.Length < maxChildren) ChildScores = new float[maxChildren];
        if (BeamNodes.Length < k)
        {
            BeamNodes = new int[k];
            BeamScores = new float[k];
            HeapNodes = new int[k];
            HeapScores = new float[k];
            Results = new ScoredLabel[k];
        }
    }

    /// <summary>Grows the ensemble buffers to hold <paramref name="trees"/> lists of <paramref name="perTree"/> labels.</summary>
    public void EnsureEnsemble(int trees, int perTree)
    {
        int n = trees * perTree;
        if (TreeResults.Length < n)
        {
            TreeResults = new ScoredLabel[n];
            MergeKeys = new ulong[n];
        }
        if (TreeResultLengths.Length < trees) TreeResultLengths = new int[trees];
    }

    /// <summary>
    /// A buffer of at least <paramref name="queryLength"/> chunk-row spans matched by a query, with
    /// <see cref="MatchedValues"/> (the matching query values) grown alongside it.
    /// </summary>
    public long[] MatchedRows(int queryLength)
    {
        if (_matchedRows.Length < queryLength)
        {
            _matchedRows = new long[queryLength];
            MatchedValues = new float[queryLength];
        }
        return _matchedRows;
    }

    /// <summary>
    /// The query as a dense array (zero where absent) of at least <paramref name="width"/> entries,
    /// scattered on first use within a prediction.
    /// </summary>
    public float[] Dense(in QueryVector query, int width)
    {
        if (!_denseFilled)
        {
            if (DenseQuery.Length < width) DenseQuery = new float[width];
            var idx = query.Indices;
            var val = query.Values;
            for (int i = 0; i < idx.Length; i++) DenseQuery[idx[i]] = val[i];
            _denseFilled = true;
        }
        // A wider request after the scatter (scorers of different widths on one query) keeps the entries.
        else if (DenseQuery.Length < width) Array.Resize(ref DenseQuery, width);
        return DenseQuery;
    }

    /// <summary>
    /// <see cref="Dense"/> with the query's bias value at <paramref name="biasIndex"/> (the weights' bias row),
    /// so a gather over a whole weight column, bias included, reads <c>[x, bias]</c>. Cleared by <see cref="EndQuery"/>.
    /// </summary>
    public float[] DenseWithBias(in QueryVector query, int biasIndex)
    {
        var dense = Dense(query, biasIndex + 1);
        if (_biasAt != biasIndex)
        {
            // One query is scored against one model, whose levels share one bias row.
            if (_biasAt >= 0) throw new InvalidOperationException($"The bias is already at {_biasAt} for this query, not {biasIndex}.");
            dense[biasIndex] = query.Bias;
            _biasAt = biasIndex;
        }
        return dense;
    }

    /// <summary>Zeroes the entries <see cref="Dense"/> and <see cref="DenseWithBias"/> wrote (O(query length)); call when a prediction ends.</summary>
    public void EndQuery(in QueryVector query)
    {
        if (!_denseFilled) return;
        foreach (int i in query.Indices) DenseQuery[i] = 0f;
        if (_biasAt >= 0) DenseQuery[_biasAt] = 0f;
        _biasAt = -1;
        _denseFilled = false;
    }
}
