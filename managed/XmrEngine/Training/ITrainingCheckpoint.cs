using XmrEngine.Indexing;
using XmrEngine.Sparse;

namespace XmrEngine.Training;

/// <summary>
/// Where a training run keeps its finished work so that a run that was killed can resume: each tree once it is
/// built and each tree level once its weights are trained. Training asks for a piece before computing it and
/// stores it right after; since every node's random stream depends only on (seed, level, node), a resumed run
/// produces the model an uninterrupted run would, bit for bit. Implementations decide where the pieces live
/// (<c>XmrEngine.Persistence.TrainingCheckpointDirectory</c> keeps them in a folder) and must make each store
/// atomic: a piece is either there whole or not at all.
/// </summary>
public interface ITrainingCheckpoint
{
    /// <summary>The label tree of ensemble tree <paramref name="tree"/> stored by an earlier run, or null.</summary>
    ClusterChain? LoadTree(int tree);

    /// <summary>Stores the label tree of ensemble tree <paramref name="tree"/>.</summary>
    void SaveTree(int tree, ClusterChain chain);

    /// <summary>The trained weights of level <paramref name="level"/> of tree <paramref name="tree"/> stored by an earlier run, or null.</summary>
    CscMatrix? LoadLevel(int tree, int level);

    /// <summary>Stores the trained weights of level <paramref name="level"/> of tree <paramref name="tree"/>.</summary>
    void SaveLevel(int tree, int level, CscMatrix weights);
}
