namespace XmrEngine.Apps.ProductRetrieval;

/// <summary>One training or test query and the items that are relevant to it (a line of a text2text file).</summary>
/// <param name="Text">The query text.</param>
/// <param name="ItemIds">Relevant item ids (0-based lines of the items file), distinct and ascending.</param>
public sealed record LabeledQuery(string Text, int[] ItemIds);
