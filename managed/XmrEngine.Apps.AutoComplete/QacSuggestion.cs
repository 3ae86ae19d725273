namespace XmrEngine.Apps.AutoComplete;

/// <summary>One suggested completion.</summary>
/// <param name="Query">The full suggested query.</param>
/// <param name="Score">What the list is ordered by: the fusion ranker's score when <see cref="Fused"/>; otherwise the
/// beam-search score for a <see cref="QacSuggestionSource.Model"/> suggestion and the training frequency for a
/// <see cref="QacSuggestionSource.MostPopular"/> fill.</param>
/// <param name="Source">Which candidate sources proposed it.</param>
public readonly record struct QacSuggestion(string Query, float Score, QacSuggestionSource Source)
{
    /// <summary>How often the suggested query was a next query in training (its popularity), whatever the source.</summary>
    public int Count { get; init; }

    /// <summary>The XR-Linear beam-search score, or null when the beam search did not propose it.</summary>
    public float? ModelScore { get; init; }

    /// <summary>True when the fusion ranker ordered the list and <see cref="Score"/> is its score.</summary>
    public bool Fused { get; init; }
}
