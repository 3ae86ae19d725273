namespace XmrEngine.Text;

/// <summary>
/// How inverse document frequency is computed from the document count N and a term's document frequency df.
/// With <c>s = 1</c> when <see cref="TfidfOptions.SmoothIdf"/> is set and <c>s = 0</c> otherwise:
/// </summary>
public enum IdfFormula
{
    /// <summary>
    /// PECOS (pecos/core/utils/tfidf.hpp): <c>idf = max(0, ln(N / (df + s)))</c>. With the default
    /// <c>s = 1</c> this is <c>ln(N / (df + 1))</c>; a term found in every document gets idf 0 and so never
    /// appears in an output row.
    /// </summary>
    Pecos,

    /// <summary>
    /// scikit-learn's add-one form: <c>idf = ln((N + s) / (df + s)) + 1</c>, always at least 1, so no term
    /// is silenced.
    /// </summary>
    Smooth,
}
