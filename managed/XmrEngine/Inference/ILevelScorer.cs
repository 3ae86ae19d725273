namespace XmrEngine.Inference;

/// <summary>
/// The strategy a beam search scores one tree level with: the raw linear scores of one parent's
/// children, whatever the weight layout. One implementation per layout: <see cref="ChunkedLevelScorer"/>
/// (compiled chunks, serving and mapped files), <see cref="GatherLevelScorer"/> (trained CSC weights
/// gather-dotted on a kernel backend, training's negative mining) and <see cref="CscLevelScorer"/> (the
/// sequential-merge reference the others are tested against). Implementations are immutable and safe
/// from any number of threads; per-query scratch lives in the <see cref="PredictWorkspace"/>.
/// </summary>
internal interface ILevelScorer
{
    /// <summary>The level's parent -> children lists; scores are written in this order.</summary>
    TreeLevel Tree { get; }

    /// <summary>
    /// Writes w_c . [x, bias] for every child c of <paramref name="parent"/> into
    /// <paramref name="scores"/> (length = number of children), in <see cref="TreeLevel.Children"/> order.
    /// </summary>
    void ScoreChildren(int parent, in QueryVector query, PredictWorkspace workspace, Span<float> scores);
}
