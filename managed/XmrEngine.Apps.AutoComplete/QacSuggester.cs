namespace XmrEngine.Apps.AutoComplete;

/// <summary>Which answer <see cref="QacModel.Suggest"/> gives and <see cref="QacModel.Evaluate"/> scores.</summary>
public enum QacSuggester
{
    /// <summary>The answer as served: the fusion ranker over every candidate source when the model has one,
    /// otherwise <see cref="ModelWithFill"/>.</summary>
    Model,

    /// <summary>The model's own candidates only, in beam-score order, no most-popular fill.</summary>
    ModelOnly,

    /// <summary>Most-popular completion alone (the baseline).</summary>
    MostPopular,

    /// <summary>The XR-Linear candidates in beam-score order, then most-popular completion filling the places left
    /// (how models without a fusion ranker suggest).</summary>
    ModelWithFill,
}
