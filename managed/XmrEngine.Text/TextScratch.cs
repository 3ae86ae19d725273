namespace XmrEngine.Text;

/// <summary>
/// Reusable buffers for analysing one document: the normalised text and offsets into it. Grown on demand,
/// never shrunk, so a worker that analyses many documents stops allocating after the longest one.
/// </summary>
internal sealed class TextScratch
{
    /// <summary>Normalised characters (joined words, the whole text, or padded words, by analyzer).</summary>
    public char[] Chars = new char[256];

    /// <summary>Code point start offsets into <see cref="Chars"/>, or word start offsets.</summary>
    public int[] Starts = new int[256];

    /// <summary>Word end offsets (word analyzer), or first code point index of each padded word (char_wb).</summary>
    public int[] Ends = new int[64];

    /// <summary>Makes room for analysing a text of <paramref name="length"/> UTF-16 units.</summary>
    public void EnsureFor(int length)
    {
        // Lower-casing maps one code point to one code point, so UTF-16 length grows at most twofold; char_wb
        // adds two pad spaces per word, at most one word per two input units, hence 3x plus slack.
        long chars = 3L * length + 8;
        if (chars > Array.MaxLength) throw new ArgumentException($"Text of {length} characters is too long to analyse.");
        if (Chars.Length < chars) Chars = new char[(int)Math.Min(Array.MaxLength, Math.Max(chars, 2L * Chars.Length))];
        int offsets = (int)Math.Min(Array.MaxLength, 2L * length + 8);
        if (Starts.Length < offsets) Starts = new int[offsets];
        if (Ends.Length < length + 8) Ends = new int[length + 8];
    }
}
