namespace XmrEngine.Apps.ProductRetrieval;

/// <summary>One training or test query and the items that are relevant to it (a line of a text2text file).</summary>
/// <param name="Text">The query text.</param>
/// <param name="ItemIds">Relevant item ids (0-based lines of the items file), distinct and ascending.</param>
public sealed record LabeledQuery(string Text, int[] ItemIds)
{
    /// <summary>
    /// How relevant each item is (a click count, a grade), aligned with <see cref="ItemIds"/>, each positive and finite;
    /// null when the query does not say (every item counts 1). Training weighs an item's errors by it (cost-sensitive
    /// training, <see cref="ProductRetrievalOptions.UseRelevances"/>). In a text2text file: <c>id:relevance</c>.
    /// </summary>
    public float[]? Relevances { get; init; }
}
