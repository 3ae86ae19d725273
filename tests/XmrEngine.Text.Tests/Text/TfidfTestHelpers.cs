using XmrEngine.Sparse;
using XmrEngine.Text;

namespace XmrEngine.Tests.Text;

internal static class TfidfTestHelpers
{
    /// <summary>A row keyed by term text, for readable expectations.</summary>
    public static Dictionary<string, double> ByTerm(TfidfVectorizer v, string text)
    {
        var row = v.Transform(text, new TfidfWorkspace());
        var map = new Dictionary<string, double>(StringComparer.Ordinal);
        for (int k = 0; k < row.Length; k++) map[v.Terms[row.Indices[k]]] = row.Values[k];
        return map;
    }

    /// <summary>Scales raw values to unit L2 norm.</summary>
    public static Dictionary<string, double> L2(Dictionary<string, double> raw)
    {
        double n = Math.Sqrt(raw.Values.Sum(x => x * x));
        return raw.ToDictionary(p => p.Key, p => p.Value / n, StringComparer.Ordinal);
    }

    public static void AssertRow(Dictionary<string, double> expected, Dictionary<string, double> actual)
    {
        Assert.That(actual.Keys.Order(StringComparer.Ordinal), Is.EqualTo(expected.Keys.Order(StringComparer.Ordinal)));
        foreach (var (term, value) in expected)
            Assert.That(actual[term], Is.EqualTo(value).Within(1e-6), $"term \"{term}\"");
    }

    public static (int[] Idx, float[] Val) Copy(SparseVector row) => (row.Indices.ToArray(), row.Values.ToArray());

    public static void AssertSameMatrix(CsrMatrix a, CsrMatrix b)
    {
        Assert.That(a.Rows, Is.EqualTo(b.Rows));
        Assert.That(a.Cols, Is.EqualTo(b.Cols));
        Assert.That(a.Pointers.ToArray(), Is.EqualTo(b.Pointers.ToArray()));
        Assert.That(a.Indices.ToArray(), Is.EqualTo(b.Indices.ToArray()));
        Assert.That(a.Values.ToArray(), Is.EqualTo(b.Values.ToArray()));
    }

    /// <summary>A seeded corpus of short documents over a small vocabulary, with some non-ASCII words.</summary>
    public static List<string> RandomCorpus(int docs, int seed)
    {
        string[] words = ["alpha", "beta", "gamma", "delta", "Épée", "naïve", "東京", "x", "y", "zz", "42", "𝒜bc", "rock'n'roll", "a-b", "Ponies", "ponies", "the", "with", "drilling", "drills", "is", "As", "caresses", "ties"];
        var rng = new Random(seed);
        var list = new List<string>(docs);
        for (int d = 0; d < docs; d++)
        {
            int len = rng.Next(0, 9);
            var parts = new string[len];
            for (int i = 0; i < len; i++) parts[i] = words[rng.Next(words.Length)];
            list.Add(string.Join(rng.Next(4) == 0 ? "  " : " ", parts));
        }
        return list;
    }
}
