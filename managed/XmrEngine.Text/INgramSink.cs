namespace XmrEngine.Text;

/// <summary>Receives the n-grams of one document, in analyzer order, as spans into a scratch buffer.</summary>
internal interface INgramSink
{
    /// <summary>One occurrence of a term.</summary>
    /// <param name="term">The n-gram's text; valid only during the call.</param>
    /// <param name="position">
    /// Offset of the n-gram's first unit: the code point offset for <see cref="TextAnalyzer.Char"/>, the word
    /// index for <see cref="TextAnalyzer.Word"/>, the code point offset in the padded-word buffer for
    /// <see cref="TextAnalyzer.CharWordBounded"/>.
    /// </param>
    void Add(ReadOnlySpan<char> term, int position);
}
