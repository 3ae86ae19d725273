using XmrEngine.Sparse;

namespace XmrEngine.Inference;

/// <summary>
/// What every XR-Linear predictor offers: its dimensions, its default beam settings, and batch prediction
/// of a query matrix into an n x <see cref="LabelCount"/> score matrix (top-k per row, sorted by label id).
/// Implemented by the serving predictor <see cref="XLinearPredictor"/> (compiled chunked weights) and by
/// <see cref="MaskedBatchPredictor"/> (one masked product per level on a chosen kernel backend), which give
/// the same top-k labels, so callers pick one without branching on the type afterwards.
/// Implementations are immutable and safe to call from many threads at once.
/// </summary>
public interface IBatchPredictor
{
    /// <summary>Input dimension D; queries may have at most this many columns.</summary>
    int FeatureCount { get; }

    /// <summary>Number of labels (columns of the predictions).</summary>
    int LabelCount { get; }

    /// <summary>Tree depth (number of weight levels).</summary>
    int Depth { get; }

    /// <summary>Most nodes on any tree level: the largest beam that can make a difference.</summary>
    int WidestLevel { get; }

    /// <summary>Options used when a call passes none.</summary>
    PredictOptions Defaults { get; }

    /// <summary>
    /// Predicts every row of <paramref name="queries"/>: row i holds the top-k labels of query i with their
    /// scores (CSR, sorted by label id). Top-k is capped at <see cref="LabelCount"/>, the beam at the widest level.
    /// </summary>
    /// <param name="queries">n x D' query matrix with D' &lt;= <see cref="FeatureCount"/>.</param>
    /// <param name="options">Beam settings; null for <see cref="Defaults"/>.</param>
    /// <param name="maxThreads">Upper bound on worker threads; 0 for all cores.</param>
    /// <exception cref="ArgumentException">The queries have more columns than the model has features.</exception>
    /// <exception cref="ArgumentOutOfRangeException">n x top-k results would not fit in memory.</exception>
    CsrMatrix Predict(CsrMatrix queries, PredictOptions? options = null, int maxThreads = 0);
}
