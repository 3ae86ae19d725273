namespace XmrEngine.Text;

/// <summary>
/// Porter's suffix-stripping algorithm (M. F. Porter, "An algorithm for suffix stripping", Program 14(3), 1980),
/// written from the paper's rule tables: steps 1a, 1b (with its clean-up rules), 1c, 2, 3, 4, 5a and 5b. Within
/// a step only the rule with the longest matching suffix is considered; when its condition fails the step does
/// nothing. Rule conditions use the paper's notation on the stem left after removing the suffix: m (the
/// number of vowel-consonant sequences), *v* (contains a vowel), *d (ends in a double consonant) and *o (ends
/// consonant-vowel-consonant, the last not w, x or y).
/// <para>
/// Only words made entirely of the lower-case ASCII letters a-z are stemmed; a word holding a digit, an
/// upper-case or a non-ASCII letter is left as it is (the rules are for English words), and so are words of
/// one or two letters (as in Porter's own implementation, e.g. "is" and "as" stay whole). The stem is never
/// longer than the word, so stemming works in place. Stateless and thread-safe.
/// </para>
/// </summary>
internal static class PorterStemmer
{
    // (suffix, replacement) pairs of steps 2 and 3, as in the paper's tables.
    private static readonly (string Suffix, string Replacement)[] Step2Rules =
    [
        ("ational", "ate"), ("tional", "tion"), ("enci", "ence"), ("anci", "ance"), ("izer", "ize"), ("abli", "able"),
        ("alli", "al"), ("entli", "ent"), ("eli", "e"), ("ousli", "ous"), ("ization", "ize"), ("ation", "ate"),
        ("ator", "ate"), ("alism", "al"), ("iveness", "ive"), ("fulness", "ful"), ("ousness", "ous"), ("aliti", "al"),
        ("iviti", "ive"), ("biliti", "ble"),
    ];

    private static readonly (string Suffix, string Replacement)[] Step3Rules =
    [
        ("icate", "ic"), ("ative", ""), ("alize", "al"), ("iciti", "ic"), ("ical", "ic"), ("ful", ""), ("ness", ""),
    ];

    private static readonly string[] Step4Suffixes =
    [
        "al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ion", "ou", "ism", "ate",
        "iti", "ous", "ive", "ize",
    ];

    /// <summary>The stem of <paramref name="word"/> (the word itself when it is not stemmed; see the class remarks).</summary>
    public static string Stem(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        var buffer = word.ToCharArray();
        int length = Stem(buffer);
        var stem = buffer.AsSpan(0, length);
        return stem.SequenceEqual(word) ? word : new string(stem);
    }

    /// <summary>
    /// Stems <paramref name="word"/> in place and returns the stem's length; the stem is
    /// <c>word[..length]</c>. Characters after it are left in an unspecified state.
    /// </summary>
    public static int Stem(Span<char> word)
    {
        int len = word.Length;
        if (len <= 2) return len;
        foreach (char c in word)
            if ((uint)(c - 'a') > 'z' - 'a') return len;

        len = Step1a(word, len);
        len = Step1b(word, len);
        len = Step1c(word, len);
        len = ReplaceLongest(word, len, Step2Rules);
        len = ReplaceLongest(word, len, Step3Rules);
        len = Step4(word, len);
        len = Step5a(word, len);
        return Step5b(word, len);
    }

    private static int Step1a(Span<char> w, int len)
    {
        if (EndsWith(w, len, "sses")) return len - 2;
        if (EndsWith(w, len, "ies")) return len - 2;
        if (EndsWith(w, len, "ss")) return len;
        if (EndsWith(w, len, "s")) return len - 1;
        return len;
    }

    private static int Step1b(Span<char> w, int len)
    {
        if (EndsWith(w, len, "eed"))
            return Measure(w, len - 3) > 0 ? len - 1 : len;
        int stem;
        if (EndsWith(w, len, "ed") && HasVowel(w, len - 2)) stem = len - 2;
        else if (EndsWith(w, len, "ing") && HasVowel(w, len - 3)) stem = len - 3;
        else return len;

        // The clean-up after removing -ed or -ing: restore an e, undouble a final consonant, or add e to short words.
        if (EndsWith(w, stem, "at") || EndsWith(w, stem, "bl") || EndsWith(w, stem, "iz"))
        {
            w[stem] = 'e';
            return stem + 1;
        }
        if (EndsInDoubleConsonant(w, stem) && w[stem - 1] is not ('l' or 's' or 'z')) return stem - 1;
        if (Measure(w, stem) == 1 && EndsConsonantVowelConsonant(w, stem))
        {
            w[stem] = 'e';
            return stem + 1;
        }
        return stem;
    }

    private static int Step1c(Span<char> w, int len)
    {
        if (EndsWith(w, len, "y") && HasVowel(w, len - 1)) w[len - 1] = 'i';
        return len;
    }

    /// <summary>Steps 2 and 3: the longest matching suffix is replaced when the stem before it has m &gt; 0.</summary>
    private static int ReplaceLongest(Span<char> w, int len, (string Suffix, string Replacement)[] rules)
    {
        int best = -1;
        for (int r = 0; r < rules.Length; r++)
            if (EndsWith(w, len, rules[r].Suffix) && (best < 0 || rules[r].Suffix.Length > rules[best].Suffix.Length)) best = r;
        if (best < 0) return len;
        var (suffix, replacement) = rules[best];
        int stem = len - suffix.Length;
        if (Measure(w, stem) == 0) return len;
        replacement.AsSpan().CopyTo(w[stem..]);
        return stem + replacement.Length;
    }

    private static int Step4(Span<char> w, int len)
    {
        string? best = null;
        foreach (var s in Step4Suffixes)
            if (EndsWith(w, len, s) && (best is null || s.Length > best.Length)) best = s;
        if (best is null) return len;
        int stem = len - best.Length;
        if (Measure(w, stem) <= 1) return len;
        if (best == "ion" && (stem == 0 || w[stem - 1] is not ('s' or 't'))) return len;
        return stem;
    }

    private static int Step5a(Span<char> w, int len)
    {
        if (!EndsWith(w, len, "e")) return len;
        int m = Measure(w, len - 1);
        return m > 1 || (m == 1 && !EndsConsonantVowelConsonant(w, len - 1)) ? len - 1 : len;
    }

    private static int Step5b(Span<char> w, int len) =>
        w[len - 1] == 'l' && EndsInDoubleConsonant(w, len) && Measure(w, len) > 1 ? len - 1 : len;

    private static bool EndsWith(ReadOnlySpan<char> w, int len, string suffix) =>
        len >= suffix.Length && w[(len - suffix.Length)..len].SequenceEqual(suffix);

    /// <summary>
    /// Porter's consonant: a letter other than a, e, i, o, u, and other than a y that follows a consonant (a y
    /// at the start of the word is a consonant). A run of y's therefore alternates, decided by what precedes it.
    /// </summary>
    private static bool IsConsonant(ReadOnlySpan<char> w, int i)
    {
        bool flip = false;
        while (w[i] == 'y' && i > 0)
        {
            flip = !flip;
            i--;
        }
        bool consonant = w[i] == 'y' || w[i] is not ('a' or 'e' or 'i' or 'o' or 'u');
        return consonant ^ flip;
    }

    /// <summary>m in the form [C](VC)^m[V] of <c>w[..len]</c>: the number of vowel runs followed by a consonant run.</summary>
    private static int Measure(ReadOnlySpan<char> w, int len)
    {
        int i = 0, m = 0;
        while (i < len && IsConsonant(w, i)) i++;
        while (i < len)
        {
            while (i < len && !IsConsonant(w, i)) i++;
            if (i == len) break;
            while (i < len && IsConsonant(w, i)) i++;
            m++;
        }
        return m;
    }

    private static bool HasVowel(ReadOnlySpan<char> w, int len)
    {
        for (int i = 0; i < len; i++)
            if (!IsConsonant(w, i)) return true;
        return false;
    }

    private static bool EndsInDoubleConsonant(ReadOnlySpan<char> w, int len) =>
        len >= 2 && w[len - 1] == w[len - 2] && IsConsonant(w, len - 1);

    private static bool EndsConsonantVowelConsonant(ReadOnlySpan<char> w, int len) =>
        len >= 3 && IsConsonant(w, len - 3) && !IsConsonant(w, len - 2) && IsConsonant(w, len - 1)
        && w[len - 1] is not ('w' or 'x' or 'y');
}
