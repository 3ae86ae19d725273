namespace XmrEngine.Models;

/// <summary>
/// Several XR-Linear models over the same labels and features, each on its own label tree, whose
/// predictions are combined per label (see <c>Inference.EnsembleCombination</c>). Trees differ by the
/// seeds of their k-means splits and solver order (or by anything else the trainer varies); one tree is
/// an ordinary model. Immutable.
/// </summary>
public sealed class XLinearEnsemble
{
    /// <summary>The member models, in training order; tree 0 is what a one-tree model would be.</summary>
    public IReadOnlyList<XLinearModel> Trees { get; }

    /// <summary>Input dimension D shared by every tree.</summary>
    public int FeatureCount => Trees[0].FeatureCount;

    /// <summary>Number of labels shared by every tree.</summary>
    public int LabelCount => Trees[0].LabelCount;

    /// <summary>Bias feature value shared by every tree.</summary>
    public float Bias => Trees[0].Bias;

    /// <summary>Creates an ensemble after checking that the trees agree on features, labels and bias.</summary>
    /// <exception cref="ArgumentException">No trees, or two trees disagree; the message names the tree and the field.</exception>
    public XLinearEnsemble(IReadOnlyList<XLinearModel> trees)
    {
        ArgumentNullException.ThrowIfNull(trees);
        if (trees.Count == 0) throw new ArgumentException("An ensemble needs at least one tree.", nameof(trees));
        var first = trees[0] ?? throw new ArgumentException("Tree 0 is null.", nameof(trees));
        for (int i = 1; i < trees.Count; i++)
        {
            var t = trees[i] ?? throw new ArgumentException($"Tree {i} is null.", nameof(trees));
            if (t.FeatureCount != first.FeatureCount)
                throw new ArgumentException($"Tree {i} has {t.FeatureCount} features but tree 0 has {first.FeatureCount}.", nameof(trees));
            if (t.LabelCount != first.LabelCount)
                throw new ArgumentException($"Tree {i} has {t.LabelCount} labels but tree 0 has {first.LabelCount}.", nameof(trees));
            if (t.Bias != first.Bias)
                throw new ArgumentException($"Tree {i} has bias {t.Bias} but tree 0 has {first.Bias}.", nameof(trees));
        }
        Trees = trees.ToArray();
    }

    /// <summary>A one-tree ensemble.</summary>
    public XLinearEnsemble(XLinearModel model) : this([model ?? throw new ArgumentNullException(nameof(model))])
    {
    }
}
