namespace XmrEngine.Text;

/// <summary>Reads documents from an enumerator in fixed-size batches, the shape both fitting and batch transform stream in.</summary>
internal static class DocumentBatch
{
    /// <summary>
    /// Fills <paramref name="batch"/> from <paramref name="documents"/> and returns how many it holds (0 at the end).
    /// <paramref name="before"/> is how many documents earlier batches held, for the message naming a null one.
    /// </summary>
    /// <exception cref="ArgumentException">A document is null.</exception>
    public static int Fill(IEnumerator<string> documents, string[] batch, long before)
    {
        int filled = 0;
        while (filled < batch.Length && documents.MoveNext())
        {
            batch[filled] = documents.Current ?? throw new ArgumentException(
                $"Document {before + filled} is null; pass an empty string for an empty document.", "documents");
            filled++;
        }
        return filled;
    }
}
