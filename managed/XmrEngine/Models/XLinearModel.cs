using XmrEngine.Indexing;
using XmrEngine.Sparse;

namespace XmrEngine.Models;

/// <summary>
/// A trained XR-Linear model as training produces it: the label tree and, per tree level, a weight
/// matrix with one column per node at that level. <c>Weights[t]</c> is (FeatureCount + 1) x
/// (nodes at level t) in CSC layout; its last row holds the bias weights, applied to a constant input
/// feature of value <see cref="Bias"/> (PECOS's layout). Immutable.
/// </summary>
public sealed class XLinearModel
{
    /// <summary>The label tree.</summary>
    public ClusterChain Chain { get; }

    /// <summary>Per-level weights, top level first; see the class remarks for the shape.</summary>
    public IReadOnlyList<CscMatrix> Weights { get; }

    /// <summary>Input dimension D (without the bias feature).</summary>
    public int FeatureCount { get; }

    /// <summary>Value of the appended bias feature (PECOS default 1.0; 0 disables the bias).</summary>
    public float Bias { get; }

    /// <summary>Number of labels.</summary>
    public int LabelCount => Chain.LabelCount;

    /// <summary>Creates a model after checking that the weights match the tree and the feature count.</summary>
    /// <exception cref="ArgumentException">Shapes disagree; the message names the level.</exception>
    public XLinearModel(ClusterChain chain, IReadOnlyList<CscMatrix> weights, int featureCount, float bias)
    {
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentOutOfRangeException.ThrowIfNegative(featureCount);
        if (!float.IsFinite(bias)) throw new ArgumentException($"Bias must be finite; got {bias}.", nameof(bias));
        if (weights.Count != chain.Depth)
            throw new ArgumentException($"The model has {weights.Count} weight levels but the tree has {chain.Depth}.", nameof(weights));
        for (int t = 0; t < chain.Depth; t++)
        {
            if (weights[t].Rows != featureCount + 1)
                throw new ArgumentException($"Weights of level {t} have {weights[t].Rows} rows; expected features + bias = {featureCount + 1}.", nameof(weights));
            if (weights[t].Cols != chain.Levels[t].Rows)
                throw new ArgumentException($"Weights of level {t} have {weights[t].Cols} columns; the tree has {chain.Levels[t].Rows} nodes there.", nameof(weights));
        }
        Chain = chain;
        Weights = weights.ToArray();
        FeatureCount = featureCount;
        Bias = bias;
    }
}
