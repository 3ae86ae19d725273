namespace XmrEngine.Apps.ProductRetrieval;

/// <summary>One retrieved item.</summary>
/// <param name="Id">Item id (0-based line of the items file).</param>
/// <param name="Text">The item's text (its title).</param>
/// <param name="Score">Beam-search score, higher is better; in (0, 1] with the default l3-hinge post-processor.</param>
public readonly record struct ProductMatch(int Id, string Text, float Score);
