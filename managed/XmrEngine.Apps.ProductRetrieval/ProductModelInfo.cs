using XmrEngine.Inference;

namespace XmrEngine.Apps.ProductRetrieval;

/// <summary>How a <see cref="ProductRetrievalModel"/> was trained, and its prediction defaults.</summary>
/// <param name="ItemEmbedding">The item representation the label tree was built from.</param>
/// <param name="ItemTextsAsQueries">Whether item texts were added as training queries.</param>
/// <param name="TrainingQueries">Number of training queries (not counting item texts).</param>
/// <param name="Prediction">Beam-search defaults used by the overloads that take no options.</param>
/// <param name="TextWeight">Default weight of the query-item text cosine when ranking candidates (0 = plain XR-Linear).</param>
/// <param name="TitleCandidates">
/// Default number of extra candidates taken from the title index, the items with the highest text cosine (0 = only the
/// beam's candidates); used when the text weight is positive.
/// </param>
/// <param name="TitleIdfOnce">Whether the item rows compared with queries have idf divided out (idf counted once).</param>
public sealed record ProductModelInfo(ItemEmbedding ItemEmbedding, bool ItemTextsAsQueries, int TrainingQueries, PredictOptions Prediction,
    float TextWeight, int TitleCandidates = 0, bool TitleIdfOnce = false)
{
    /// <summary>
    /// How <see cref="TextWeight"/> was chosen on held-out training queries (each weight tried and its held-out recall),
    /// when <see cref="ProductRetrievalOptions.ChooseTextWeight"/> chose it; null when the weight was given.
    /// </summary>
    public string? TextWeightChoice { get; init; }
}
