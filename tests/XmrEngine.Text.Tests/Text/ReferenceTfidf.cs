using System.Globalization;
using System.Text;
using XmrEngine.Text;

namespace XmrEngine.Tests.Text;

/// <summary>
/// A deliberately naive TF-IDF (lists of strings, sets, dictionaries) written straight from the definitions,
/// used as the oracle for the span-based analyzers and the parallel fitter.
/// </summary>
internal static class ReferenceTfidf
{
    public sealed record Model(TfidfOptions Options, string[] Terms, double[] Idf);

    /// <summary>Every n-gram occurrence of a document with its tf weight.</summary>
    public static List<(string Term, double Weight)> Ngrams(string text, TfidfOptions o)
    {
        var runes = new List<string>();
        foreach (var r in text.EnumerateRunes()) runes.Add((o.Lowercase ? Rune.ToLowerInvariant(r) : r).ToString());
        int limit = o.TruncateLength > 0 ? o.TruncateLength : int.MaxValue;
        var result = new List<(string, double)>();
        if (o.Analyzer == TextAnalyzer.Word)
        {
            var words = new List<string>();
            var cur = new StringBuilder();
            foreach (var s in runes)
            {
                if (IsWordChar(Rune.GetRuneAt(s, 0))) cur.Append(s);
                else if (cur.Length > 0) { words.Add(cur.ToString()); cur.Clear(); }
            }
            if (cur.Length > 0) words.Add(cur.ToString());
            if (words.Count > limit) words = words.Take(limit).ToList();
            if (o.StopWords == StopWordList.English) words = words.Where(w => !EnglishStopWords.Words.Contains(w)).ToList();
            if (o.Stemmer == WordStemmer.Porter) words = words.Select(PorterStemmer.Stem).ToList();
            for (int n = o.MinNgram; n <= o.MaxNgram; n++)
                for (int k = 0; k + n <= words.Count; k++)
                    result.Add((string.Join(" ", words.Skip(k).Take(n)), 1.0));
        }
        else if (o.Analyzer == TextAnalyzer.Char)
        {
            if (runes.Count > limit) runes = runes.Take(limit).ToList();
            for (int n = o.MinNgram; n <= o.MaxNgram; n++)
                for (int j = 0; j + n <= runes.Count; j++)
                    result.Add((string.Concat(runes.Skip(j).Take(n)), o.PositionWeighted ? 1.0 / (j + 1) : 1.0));
        }
        else
        {
            var words = new List<List<string>>();
            List<string>? cur = null;
            int kept = 0;
            foreach (var s in runes)
            {
                if (Rune.IsWhiteSpace(Rune.GetRuneAt(s, 0))) { cur = null; continue; }
                if (kept == limit) break;
                if (cur is null) { cur = []; words.Add(cur); }
                cur.Add(s);
                kept++;
            }
            foreach (var w in words)
            {
                var padded = new List<string> { " " };
                padded.AddRange(w);
                padded.Add(" ");
                // scikit-learn's _char_wb_ngrams loop, transcribed.
                for (int n = o.MinNgram; n <= o.MaxNgram; n++)
                {
                    int offset = 0;
                    result.Add((string.Concat(padded.Take(n)), 1.0));
                    while (offset + n < padded.Count)
                    {
                        offset++;
                        result.Add((string.Concat(padded.Skip(offset).Take(n)), 1.0));
                    }
                    if (offset == 0) break;
                }
            }
        }
        return result;
    }

    private static bool IsWordChar(Rune r)
    {
        var c = Rune.GetUnicodeCategory(r);
        return Rune.IsLetter(r) || c == UnicodeCategory.DecimalDigitNumber || c == UnicodeCategory.NonSpacingMark
               || c == UnicodeCategory.SpacingCombiningMark || c == UnicodeCategory.EnclosingMark;
    }

    public static Model Fit(IReadOnlyList<string> docs, TfidfOptions o)
    {
        var df = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var d in docs)
            foreach (var t in Ngrams(d, o).Select(x => x.Term).Distinct())
                df[t] = df.GetValueOrDefault(t) + 1;
        long n = docs.Count;
        long min = Math.Max(o.MinDfCount, (long)Math.Round(o.MinDfRatio * n, MidpointRounding.AwayFromZero));
        long max = (long)Math.Round(o.MaxDfRatio * n, MidpointRounding.AwayFromZero);
        if (o.MaxDfCount > 0) max = Math.Min(max, o.MaxDfCount);
        var kept = df.Where(p => p.Value >= min && p.Value <= max).ToList();
        if (o.MaxFeatures > 0 && kept.Count > o.MaxFeatures)
        {
            var ordered = o.KeepFrequentFeatures
                ? kept.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal)
                : kept.OrderBy(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal);
            kept = ordered.Take(o.MaxFeatures).ToList();
        }
        var terms = kept.Select(p => p.Key).OrderBy(t => t, StringComparer.Ordinal).ToArray();
        double s = o.SmoothIdf ? 1 : 0;
        var idf = terms.Select(t => o.IdfFormula == IdfFormula.Pecos
            ? Math.Max(0, Math.Log(n / (df[t] + s)))
            : Math.Log((n + s) / (df[t] + s)) + 1).ToArray();
        return new Model(o, terms, idf);
    }

    /// <summary>The row as (feature id, value) sorted by id.</summary>
    public static List<(int Id, double Value)> Transform(Model m, string text)
    {
        var o = m.Options;
        var ids = m.Terms.Select((t, i) => (t, i)).ToDictionary(x => x.t, x => x.i, StringComparer.Ordinal);
        var tf = new SortedDictionary<int, double>();
        foreach (var (t, w) in Ngrams(text, o))
            if (ids.TryGetValue(t, out int id)) tf[id] = tf.GetValueOrDefault(id) + w;
        var row = new List<(int, double)>();
        foreach (var (id, f) in tf)
        {
            double v = o.Binary ? 1 : f;
            if (o.SublinearTf) v = 1 + Math.Log(v);
            if (o.UseIdf) v *= m.Idf[id];
            if (v != 0) row.Add((id, v));
        }
        double norm = o.Norm switch
        {
            TfidfNorm.L1 => row.Sum(x => Math.Abs(x.Item2)),
            TfidfNorm.L2 => Math.Sqrt(row.Sum(x => x.Item2 * x.Item2)),
            _ => 1,
        };
        if (norm == 0) norm = 1;
        return row.Select(x => (x.Item1, x.Item2 / norm)).ToList();
    }
}
