namespace XmrEngine.Inference;

/// <summary>Computes the raw linear scores of the children of one parent at one tree level.</summary>
internal abstract class LevelScorer
{
    protected LevelScorer(TreeLevel tree) => Tree = tree;

    /// <summary>The level's parent -> children lists; scores are written in this order.</summary>
    public TreeLevel Tree { get; }

    /// <summary>
    /// Writes w_c . [x, bias] for every child c of <paramref name="parent"/> into
    /// <paramref name="scores"/> (length = number of children), in <see cref="TreeLevel.Children"/> order.
    /// </summary>
    public abstract void ScoreChildren(int parent, in QueryVector query, PredictWorkspace workspace, Span<float> scores);
}
