using XmrEngine.Indexing;
using XmrEngine.Common;

namespace XmrEngine.Apps.AutoComplete;

/// <summary>
/// Draws prefix lengths with a fixed seed. Test pair i gets a length uniform in 1..len(next) from its own
/// random stream (seed, i), so a case does not depend on the others. Lengths count UTF-16 units; a cut inside
/// a surrogate pair is moved one unit right so a prefix never ends in half a character.
/// </summary>
internal static class PrefixSampler
{
    /// <summary>One test case per pair, in pair order.</summary>
    public static List<QacTestCase> TestCases(IReadOnlyList<QueryPair> pairs, int seed)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var cases = new List<QacTestCase>(pairs.Count);
        for (int i = 0; i < pairs.Count; i++)
        {
            var p = pairs[i];
            var rng = SeededRandom.ForNode(seed, 0, i);
            int length = Snap(p.Next, 1 + rng.NextInt(p.Next.Length));
            cases.Add(new QacTestCase(p.Previous, p.Next[..length], p.Next));
        }
        return cases;
    }

    /// <summary>
    /// Up to <paramref name="count"/> distinct prefix lengths of <paramref name="query"/> drawn uniformly
    /// without replacement from 1..len (all of them when the query is that short), ascending.
    /// </summary>
    public static int[] TrainingLengths(string query, int count, int seed, int pairIndex)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        int n = query.Length;
        var lengths = new int[n];
        for (int i = 0; i < n; i++) lengths[i] = i + 1;
        if (n > count)
        {
            // Partial Fisher-Yates: the first `count` slots become a uniform sample without replacement.
            var rng = SeededRandom.ForNode(seed, 1, pairIndex);
            for (int i = 0; i < count; i++)
            {
                int j = i + rng.NextInt(n - i);
                (lengths[i], lengths[j]) = (lengths[j], lengths[i]);
            }
            lengths = lengths[..count];
        }
        for (int i = 0; i < lengths.Length; i++) lengths[i] = Snap(query, lengths[i]);
        Array.Sort(lengths);
        return lengths.Distinct().ToArray();
    }

    private static int Snap(string s, int length) =>
        length < s.Length && char.IsHighSurrogate(s[length - 1]) && char.IsLowSurrogate(s[length]) ? length + 1 : length;
}
