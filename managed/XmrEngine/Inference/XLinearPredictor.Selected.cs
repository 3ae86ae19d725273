using XmrEngine.Common;
using XmrEngine.Sparse;

namespace XmrEngine.Inference;

public sealed partial class XLinearPredictor
{
    private SelectedOutputScorer[]? _selectedScorers;

    /// <summary>
    /// Scores exactly the (row, label) pairs stored in <paramref name="selected"/>, for reranking candidates
    /// found elsewhere (PECOS's <c>predict(X, selected_outputs_csr=P)</c>, <c>-so</c> on its command line):
    /// instead of a beam search, every ancestor of a selected label is scored, and each label gets the path
    /// score the beam search would give it (the post-processor's transform, combined with its parent's score
    /// from the second level on). The result has <paramref name="selected"/>'s pattern: the same row pointers
    /// and label ids; its values are ignored, so an explicitly stored zero is selected too. An ensemble combines
    /// its trees' path scores by <paramref name="combination"/>: their mean, or their maximum.
    /// </summary>
    /// <param name="queries">n x D' prepared query rows (as for <see cref="Predict(CsrMatrix, PredictOptions?, int)"/>), D' &lt;= <see cref="FeatureCount"/>.</param>
    /// <param name="selected">n x <see cref="LabelCount"/>: the labels to score for each row.</param>
    /// <param name="postProcessor">Transform and combiner; null for <see cref="Defaults"/>' post-processor.</param>
    /// <param name="maxThreads">Upper bound on worker threads; 0 for all cores.</param>
    /// <param name="combination">How an ensemble's trees combine (average or max); null for <see cref="Defaults"/>'. Ignored for one tree.</param>
    /// <returns>An n x <see cref="LabelCount"/> score matrix with <paramref name="selected"/>'s pattern.</returns>
    /// <exception cref="ArgumentException">The shapes do not match the model or each other.</exception>
    /// <exception cref="NotSupportedException">An ensemble with reciprocal-rank combination: ranks exist only within a beam's list.</exception>
    /// <exception cref="ObjectDisposedException">The predictor is memory-mapped and has been disposed.</exception>
    public CsrMatrix PredictSelected(CsrMatrix queries, CsrMatrix selected, PostProcessor? postProcessor = null, int maxThreads = 0, EnsembleCombination? combination = null)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentNullException.ThrowIfNull(selected);
        ArgumentOutOfRangeException.ThrowIfNegative(maxThreads);
        var combine = combination ?? Defaults.Combination;
        if (_trees.Length > 1 && combine == EnsembleCombination.ReciprocalRank)
            throw new NotSupportedException("Selected-output scoring combines an ensemble's trees by average or max; reciprocal-rank fusion needs each tree's ranked list, which selected outputs do not make.");
        if (queries.Cols > FeatureCount)
            throw new ArgumentException($"The query matrix has {queries.Cols} columns but the model has {FeatureCount} features.", nameof(queries));
        if (selected.Rows != queries.Rows)
            throw new ArgumentException($"The selected outputs have {selected.Rows} rows but there are {queries.Rows} queries.", nameof(selected));
        if (selected.Cols != LabelCount)
            throw new ArgumentException($"The selected outputs have {selected.Cols} label columns but the model has {LabelCount} labels.", nameof(selected));
        var post = postProcessor ?? Defaults.PostProcessor;
        var scorers = _selectedScorers ??= [.. _trees.Select(levels => new SelectedOutputScorer(levels))];
        var scores = new float[selected.Values.Length];
        var mapping = _mapping;
        mapping?.Enter();
        try
        {
            ParallelBlocks.Run(queries.Rows, 32, ThreadCount.Resolve(maxThreads), () => 0, (_, start, end, _) =>
            {
                var ws = PredictWorkspace.Current;
                ws.Ensure(_maxChildren, 1);
                float[] tree = [];
                for (int row = start; row < end; row++)
                {
                    var q = queries.Row(row);
                    var labels = selected.Row(row).Indices;
                    var output = scores.AsSpan((int)selected.Pointers[row], labels.Length);
                    var query = new QueryVector(q.Indices, q.Values, Bias);
                    try
                    {
                        scorers[0].Score(query, labels, post, ws, output);
                        if (scorers.Length == 1) continue;
                        if (tree.Length < labels.Length) tree = new float[labels.Length];
                        for (int t = 1; t < scorers.Length; t++)
                        {
                            scorers[t].Score(query, labels, post, ws, tree);
                            for (int i = 0; i < output.Length; i++)
                                output[i] = combine == EnsembleCombination.Max ? Math.Max(output[i], tree[i]) : output[i] + tree[i];
                        }
                        // The merge's mean: the trees' sum, then one division.
                        if (combine == EnsembleCombination.Average)
                            for (int i = 0; i < output.Length; i++) output[i] /= scorers.Length;
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
