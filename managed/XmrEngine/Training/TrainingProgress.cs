namespace XmrEngine.Training;

/// <summary>Progress of <see cref="XLinearTrainer"/>: how many nodes of which tree level are trained.</summary>
/// <param name="Level">Tree level being trained (0 = just below the root).</param>
/// <param name="LevelCount">Number of levels in the tree.</param>
/// <param name="NodesDone">Nodes of this level finished so far.</param>
/// <param name="NodesTotal">Nodes in this level.</param>
public readonly record struct TrainingProgress(int Level, int LevelCount, int NodesDone, int NodesTotal)
{
    /// <summary>Index of the ensemble tree being trained (0 for a one-tree model).</summary>
    public int Tree { get; init; }

    /// <summary>Trees being trained (1 for a one-tree model).</summary>
    public int TreeCount { get; init; } = 1;
}
