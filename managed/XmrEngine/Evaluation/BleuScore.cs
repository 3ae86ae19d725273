namespace XmrEngine.Evaluation;

/// <summary>
/// Sentence-level BLEU between one hypothesis and one reference, over words (split at white space):
/// <code>
/// BLEU = BP x exp( sum_{n=1..N} w_n ln p_n ),  w_n = 1/N (N = 4 by default: uniformly weighted 1..4-grams)
/// p_1 = m_1 / c_1
/// p_n = (m_n + 1) / (c_n + 1)  for n &gt;= 2   (add-one smoothing of Lin and Och 2004, "smoothing 2" of Chen and Cherry 2014)
/// BP  = 1 if h &gt; r, else exp(1 - r / h)
/// </code>
/// where c_n is the number of hypothesis n-grams, m_n the number of them matched in the reference (each
/// reference n-gram matches at most as often as it occurs: clipped counts), h and r the word counts. The
/// score is 0 when the hypothesis is empty or shares no word with the reference, and 1 when they are equal
/// (whatever their length: with the smoothing, orders longer than the sentence contribute ln 1 = 0).
/// </summary>
public static class BleuScore
{
    /// <summary>BLEU of <paramref name="hypothesis"/> against <paramref name="reference"/>, both split at white space.</summary>
    public static double Sentence(string hypothesis, string reference, int maxOrder = 4)
    {
        ArgumentNullException.ThrowIfNull(hypothesis);
        ArgumentNullException.ThrowIfNull(reference);
        return Sentence(Words(hypothesis), Words(reference), maxOrder);
    }

    /// <summary>BLEU of tokenised sentences; see the class remarks for the formula.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxOrder"/> is not positive.</exception>
    public static double Sentence(IReadOnlyList<string> hypothesis, IReadOnlyList<string> reference, int maxOrder = 4)
    {
        ArgumentNullException.ThrowIfNull(hypothesis);
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxOrder, 1);
        int h = hypothesis.Count, r = reference.Count;
        if (h == 0 || r == 0) return 0;
        double logSum = 0;
        for (int n = 1; n <= maxOrder; n++)
        {
            int candidates = Math.Max(0, h - n + 1);
            int matches = ClippedMatches(hypothesis, reference, n);
            if (n == 1)
            {
                if (matches == 0) return 0;
                logSum += Math.Log((double)matches / candidates);
            }
            else logSum += Math.Log((matches + 1.0) / (candidates + 1.0));
        }
        double brevity = h > r ? 1.0 : Math.Exp(1.0 - (double)r / h);
        return brevity * Math.Exp(logSum / maxOrder);
    }

    /// <summary>The words of <paramref name="text"/>: maximal runs of non-white-space characters.</summary>
    public static string[] Words(string text) =>
        text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);

    private static int ClippedMatches(IReadOnlyList<string> hypothesis, IReadOnlyList<string> reference, int n)
    {
        if (hypothesis.Count < n || reference.Count < n) return 0;
        var available = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i + n <= reference.Count; i++)
        {
            string g = Gram(reference, i, n);
            available[g] = available.GetValueOrDefault(g) + 1;
        }
        int matches = 0;
        for (int i = 0; i + n <= hypothesis.Count; i++)
        {
            string g = Gram(hypothesis, i, n);
            if (available.TryGetValue(g, out int left) && left > 0)
            {
                available[g] = left - 1;
                matches++;
            }
        }
        return matches;
    }

    // Words never contain white space, so joining with a space cannot merge two different n-grams.
    private static string Gram(IReadOnlyList<string> words, int start, int n) =>
        n == 1 ? words[start] : string.Join(' ', Enumerable.Range(start, n).Select(i => words[i]));
}
