using System.Globalization;
using System.Text;

namespace XmrEngine.Text;

/// <summary>
/// Cuts a document into n-grams for the three analyzers and hands each to a sink as a span, allocating
/// nothing once the scratch buffers are large enough. All three are linear in the text length times the
/// n-gram range. Text is normalised first: lone UTF-16 surrogates become U+FFFD (so every term is valid
/// Unicode and survives a save/load round trip) and, when asked, code points are lower-cased with the
/// invariant culture.
/// </summary>
internal static class NgramAnalyzer
{
    /// <summary>Emits every n-gram of <paramref name="text"/> that <paramref name="options"/> asks for.</summary>
    public static void Analyze<TSink>(ReadOnlySpan<char> text, TfidfOptions options, TextScratch scratch, ref TSink sink)
        where TSink : struct, INgramSink
    {
        scratch.EnsureFor(text.Length);
        int limit = options.TruncateLength > 0 ? options.TruncateLength : int.MaxValue;
        switch (options.Analyzer)
        {
            case TextAnalyzer.Word:
                EmitWords(text, options, limit, scratch, ref sink);
                break;
            case TextAnalyzer.Char:
                EmitChars(text, options, limit, scratch, ref sink);
                break;
            default:
                EmitCharWordBounded(text, options, limit, scratch, ref sink);
                break;
        }
    }

    private static void EmitWords<TSink>(ReadOnlySpan<char> text, TfidfOptions o, int limit, TextScratch s, ref TSink sink)
        where TSink : struct, INgramSink
    {
        // Words are written one after another separated by one space, so the n-gram of words k..k+n-1 is the
        // contiguous span Chars[Starts[k] .. Ends[k+n-1]] and needs no joining.
        // A finished word is dropped (stop word) or stemmed in place at the end of the buffer; stems are never
        // longer than their word, so the buffer bound still holds. The truncation limit counts words before
        // dropping, as the text's own words.
        char[] chars = s.Chars;
        int[] starts = s.Starts, ends = s.Ends;
        int w = 0, words = 0, seen = 0, i = 0;
        bool inWord = false;
        bool filter = o.StopWords != StopWordList.None, stem = o.Stemmer != WordStemmer.None;
        while (i < text.Length)
        {
            Rune r = Next(text, ref i, o.Lowercase);
            if (IsWordRune(r))
            {
                if (!inWord)
                {
                    if (seen == limit) break;
                    seen++;
                    if (words > 0) chars[w++] = ' ';
                    starts[words] = w;
                    inWord = true;
                }
                w += r.EncodeToUtf16(chars.AsSpan(w));
            }
            else if (inWord)
            {
                EndWord(chars, starts, ends, ref w, ref words, filter, stem);
                inWord = false;
            }
        }
        if (inWord) EndWord(chars, starts, ends, ref w, ref words, filter, stem);

        int maxN = Math.Min(o.MaxNgram, words);
        for (int n = o.MinNgram; n <= maxN; n++)
            for (int k = 0; k + n <= words; k++)
                sink.Add(chars.AsSpan(starts[k], ends[k + n - 1] - starts[k]), k);
    }

    /// <summary>Closes the word that starts at <c>starts[words]</c> and ends at <paramref name="w"/>: drops, stems or keeps it.</summary>
    private static void EndWord(char[] chars, int[] starts, int[] ends, ref int w, ref int words, bool filter, bool stem)
    {
        int start = starts[words];
        if (filter && EnglishStopWords.Contains(chars.AsSpan(start, w - start)))
        {
            // Remove the word and the separator written before it.
            w = words > 0 ? start - 1 : start;
            return;
        }
        if (stem) w = start + PorterStemmer.Stem(chars.AsSpan(start, w - start));
        ends[words++] = w;
    }

    private static void EmitChars<TSink>(ReadOnlySpan<char> text, TfidfOptions o, int limit, TextScratch s, ref TSink sink)
        where TSink : struct, INgramSink
    {
        char[] chars = s.Chars;
        int[] starts = s.Starts;
        int w = 0, cps = 0, i = 0;
        while (i < text.Length && cps < limit)
        {
            Rune r = Next(text, ref i, o.Lowercase);
            starts[cps++] = w;
            w += r.EncodeToUtf16(chars.AsSpan(w));
        }
        starts[cps] = w;

        int maxN = Math.Min(o.MaxNgram, cps);
        for (int n = o.MinNgram; n <= maxN; n++)
            for (int j = 0; j + n <= cps; j++)
                sink.Add(chars.AsSpan(starts[j], starts[j + n] - starts[j]), j);
    }

    private static void EmitCharWordBounded<TSink>(ReadOnlySpan<char> text, TfidfOptions o, int limit, TextScratch s, ref TSink sink)
        where TSink : struct, INgramSink
    {
        // Padded words " w1 ", " w2 ", ... are laid out back to back; Starts holds every code point's offset
        // (pads included) plus a final sentinel, Ends[k] the index of word k's first code point (its left pad).
        char[] chars = s.Chars;
        int[] starts = s.Starts, firstCp = s.Ends;
        int w = 0, cps = 0, words = 0, kept = 0, i = 0;
        bool inWord = false;
        while (i < text.Length)
        {
            Rune r = Next(text, ref i, o.Lowercase);
            if (!Rune.IsWhiteSpace(r))
            {
                if (kept == limit) break;
                if (!inWord)
                {
                    firstCp[words++] = cps;
                    starts[cps++] = w;
                    chars[w++] = ' ';
                    inWord = true;
                }
                starts[cps++] = w;
                w += r.EncodeToUtf16(chars.AsSpan(w));
                kept++;
            }
            else if (inWord)
            {
                starts[cps++] = w;
                chars[w++] = ' ';
                inWord = false;
            }
        }
        if (inWord)
        {
            starts[cps++] = w;
            chars[w++] = ' ';
        }
        starts[cps] = w;

        for (int k = 0; k < words; k++)
        {
            int f = firstCp[k];
            int m = (k + 1 < words ? firstCp[k + 1] : cps) - f;
            for (int n = o.MinNgram; n <= o.MaxNgram; n++)
            {
                if (n >= m)
                {
                    // A word no longer than the n-gram is counted once, whole and padded (as scikit-learn and
                    // PECOS do), and longer n-gram lengths add nothing more for it.
                    sink.Add(chars.AsSpan(starts[f], starts[f + m] - starts[f]), f);
                    break;
                }
                for (int j = f; j + n <= f + m; j++)
                    sink.Add(chars.AsSpan(starts[j], starts[j + n] - starts[j]), j);
            }
        }
    }

    /// <summary>Decodes the code point at <paramref name="i"/> (lone surrogates become U+FFFD) and advances.</summary>
    private static Rune Next(ReadOnlySpan<char> text, ref int i, bool lower)
    {
        char c = text[i];
        if (c < 0x80)
        {
            i++;
            if (lower && (uint)(c - 'A') <= 'Z' - 'A') c = (char)(c | 0x20);
            return new Rune(c);
        }
        Rune r;
        if (!char.IsSurrogate(c))
        {
            r = new Rune(c);
            i++;
        }
        else if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
        {
            r = new Rune(c, text[i + 1]);
            i += 2;
        }
        else
        {
            r = Rune.ReplacementChar;
            i++;
        }
        return lower ? Rune.ToLowerInvariant(r) : r;
    }

    /// <summary>Letters, combining marks and decimal digits make up words.</summary>
    private static bool IsWordRune(Rune r)
    {
        if (r.Value < 0x80)
        {
            int c = r.Value;
            return (uint)((c | 0x20) - 'a') <= 'z' - 'a' || (uint)(c - '0') <= 9;
        }
        return (int)Rune.GetUnicodeCategory(r) <= (int)UnicodeCategory.DecimalDigitNumber;
    }
}
