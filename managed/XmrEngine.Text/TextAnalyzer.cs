namespace XmrEngine.Text;

/// <summary>How a document is cut into the terms (n-grams) a TF-IDF vectorizer counts.</summary>
public enum TextAnalyzer
{
    /// <summary>
    /// Word n-grams. A word is a maximal run of Unicode letters, digits and combining marks; every other
    /// character separates words. An n-gram's term is its words joined by single spaces.
    /// </summary>
    Word,

    /// <summary>Character n-grams over the whole string (characters are Unicode code points, not UTF-16 units).</summary>
    Char,

    /// <summary>
    /// Character n-grams inside words: the text is split at white space, each word is padded with one space on
    /// both sides and n-grams are taken inside the padded word only (scikit-learn's and PECOS's <c>char_wb</c>).
    /// A word shorter than an n-gram length is counted once, whole and padded, and longer n-gram lengths are
    /// skipped for it.
    /// </summary>
    CharWordBounded,
}
