namespace XmrEngine.Apps.AutoComplete;

/// <summary>Which answer <see cref="QacModel.Evaluate"/> scores.</summary>
public enum QacSuggester
{
    /// <summary><see cref="QacModel.Suggest"/> as served: model candidates, then most-popular fill.</summary>
    Model,

    /// <summary>The model's own candidates only, no most-popular fill.</summary>
    ModelOnly,

    /// <summary>Most-popular completion alone (the baseline).</summary>
    MostPopular,
}
