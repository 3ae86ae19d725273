namespace XmrEngine.Apps.AutoComplete;

/// <summary>Where a suggestion came from.</summary>
public enum QacSuggestionSource
{
    /// <summary>The XR-Linear beam search (a label that starts with the prefix).</summary>
    Model,

    /// <summary>Most-popular completion, filling places the model left empty.</summary>
    MostPopular,
}

/// <summary>One suggested completion.</summary>
/// <param name="Query">The full suggested query.</param>
/// <param name="Score">Beam-search score for <see cref="QacSuggestionSource.Model"/>, training frequency for <see cref="QacSuggestionSource.MostPopular"/>.</param>
/// <param name="Source">Which component produced it.</param>
public readonly record struct QacSuggestion(string Query, float Score, QacSuggestionSource Source)
{
    /// <summary>How often the suggested query was a next query in training (its popularity), whatever the source.</summary>
    public int Count { get; init; }
}
