using XmrEngine.Common;
using XmrEngine.Sparse;

namespace XmrEngine.Inference;

public sealed partial class XLinearPredictor
{
    private SelectedOutputScorer? _selectedScorer;

    /// <summary>
    /// Scores exactly the (row, label) pairs stored in <paramref name="selected"/>, for reranking candidates
    /// found elsewhere (PECOS's <c>predict(X, selected_outputs_csr=P)</c>, <c>-so</c> on its command line):
    /// instead of a beam search, every ancestor of a selected label is scored, and each label gets the path
    /// score the beam search would give it (the post-processor's transform, combined with its parent's score
    /// from the second level on). The result has <paramref name="selected"/>'s pattern: the same row pointers
    /// and label ids; its values are ignored, so an explicitly stored zero is selected too.
    /// </summary>
    /// <param name="queries">n x D' prepared query rows (as for <see cref="Predict(CsrMatrix, PredictOptions?, int)"/>), D' &lt;= <see cref="FeatureCount"/>.</param>
    /// <param name="selected">n x <see cref="LabelCount"/>: the labels to score for each row.</param>
    /// <param name="postProcessor">Transform and combiner; null for <see cref="Defaults"/>' post-processor.</param>
    /// <param name="maxThreads">Upper bound on worker threads; 0 for all cores.</param>
    /// <returns>An n x <see cref="LabelCount"/> score matrix with <paramref name="selected"/>'s pattern.</returns>
    /// <exception cref="ArgumentException">The shapes do not match the model or each other.</exception>
    /// <exception cref="NotSupportedException">The predictor holds an ensemble of several trees.</exception>
    /// <exception cref="ObjectDisposedException">The predictor is memory-mapped and has been disposed.</exception>
    public CsrMatrix PredictSelected(CsrMatrix queries, CsrMatrix selected, PostProcessor? postProcessor = null, int maxThreads = 0)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentNullException.ThrowIfNull(selected);
        ArgumentOutOfRangeException.ThrowIfNegative(maxThreads);
        if (_trees.Length != 1)
            throw new NotSupportedException($"Selected-output scoring needs a one-tree model; this one has {_trees.Length} trees.");
        if (queries.Cols > FeatureCount)
            throw new ArgumentException($"The query matrix has {queries.Cols} columns but the model has {FeatureCount} features.", nameof(queries));
        if (selected.Rows != queries.Rows)
            throw new ArgumentException($"The selected outputs have {selected.Rows} rows but there are {queries.Rows} queries.", nameof(selected));
        if (selected.Cols != LabelCount)
            throw new ArgumentException($"The selected outputs have {selected.Cols} label columns but the model has {LabelCount} labels.", nameof(selected));
        var post = postProcessor ?? Defaults.PostProcessor;
        var scorer = _selectedScorer ??= new SelectedOutputScorer(_trees[0]);
        var scores = new float[selected.Values.Length];
        var mapping = _mapping;
        mapping?.Enter();
        try
        {
            ParallelBlocks.Run(queries.Rows, 32, ThreadCount.Resolve(maxThreads), () => 0, (_, start, end, _) =>
            {
                var ws = PredictWorkspace.Current;
                ws.Ensure(_maxChildren, 1);
                for (int row = start; row < end; row++)
                {
                    var q = queries.Row(row);
                    var query = new QueryVector(q.Indices, q.Values, Bias);
                    try
                    {
                        scorer.Score(query, selected.Row(row).Indices, post, ws, scores.AsSpan((int)selected.Pointers[row], selected.RowLength(row)));
                    }
                    finally
                    {
                        ws.EndQuery(query);
                    }
                }
            });
        }
        finally
        {
            mapping?.Exit();
        }
        return new CsrMatrix(selected.Rows, selected.Cols, selected.Pointers.ToArray(), selected.Indices.ToArray(), scores);
    }
}
