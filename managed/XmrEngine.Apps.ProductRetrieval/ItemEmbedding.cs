namespace XmrEngine.Apps.ProductRetrieval;

/// <summary>How items (the labels) are represented when the label tree is built.</summary>
public enum ItemEmbedding
{
    /// <summary>PIFA only: an item is the normalised sum of its training queries' TF-IDF rows. Items without
    /// training queries get an empty row and land in arbitrary clusters.</summary>
    Pifa,

    /// <summary>[PIFA | the item's own text vectorised with the same TF-IDF], each block L2-normalised, so
    /// items are clustered with look-alike items even when they were never (or rarely) searched for.</summary>
    PifaText,
}

/// <summary>Command-line and metadata names of <see cref="ItemEmbedding"/>: <c>pifa</c> and <c>pifa+text</c>.</summary>
public static class ItemEmbeddingNames
{
    /// <summary>The canonical name.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not defined.</exception>
    public static string ToName(this ItemEmbedding embedding) => embedding switch
    {
        ItemEmbedding.Pifa => "pifa",
        ItemEmbedding.PifaText => "pifa+text",
        _ => throw new ArgumentOutOfRangeException(nameof(embedding), embedding, "Unknown item embedding."),
    };

    /// <summary>Parses <c>pifa</c> or <c>pifa+text</c> (case-insensitive, surrounding spaces ignored).</summary>
    /// <exception cref="ArgumentException">Any other name; the message lists the valid ones.</exception>
    public static ItemEmbedding Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        foreach (var e in Enum.GetValues<ItemEmbedding>())
            if (string.Equals(e.ToName(), name.Trim(), StringComparison.OrdinalIgnoreCase)) return e;
        throw new ArgumentException($"Unknown label embedding '{name}'; expected pifa or pifa+text.", nameof(name));
    }
}
