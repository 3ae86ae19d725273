using XmrEngine.Sparse;

namespace XmrEngine.Text;

/// <summary>A fitted, immutable text vectorizer: turns strings into sparse feature rows. Thread-safe.</summary>
public interface ITextVectorizer
{
    /// <summary>Number of output columns.</summary>
    int FeatureCount { get; }

    /// <summary>
    /// Transforms one document into <paramref name="workspace"/> and returns a view of the row (sorted
    /// indices), valid until the workspace is used again. An empty or unknown-only text gives an empty row.
    /// </summary>
    SparseVector Transform(ReadOnlySpan<char> text, TfidfWorkspace workspace);

    /// <summary>Transforms documents in parallel into a CSR matrix with one row per document, in input order.</summary>
    /// <param name="documents">Read once, in batches; a null document is an error naming its index.</param>
    /// <param name="threads">Worker count; zero or negative uses every processor. The result never depends on it.</param>
    CsrMatrix Transform(IEnumerable<string> documents, int threads = -1);

    /// <summary>Writes the fitted vectorizer to <paramref name="path"/> atomically (temporary file, then rename).</summary>
    void Save(string path);
}
