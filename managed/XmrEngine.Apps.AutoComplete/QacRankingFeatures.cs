namespace XmrEngine.Apps.AutoComplete;

/// <summary>
/// The fusion ranker's per-candidate features, computed from what the candidate sources said and from the
/// strings alone (no look at the true next query). Every feature is bounded, so one odd input cannot
/// dominate a score. The ranker weighs them separately per prefix-length bucket (see <see cref="Bucket"/>),
/// because how much the session model is worth against popularity depends on how much has been typed.
/// </summary>
internal static class QacRankingFeatures
{
    /// <summary>Feature names, in vector order; saved with the ranker so a file made for other features is refused.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        "model_present", "model_score", "model_log_score", "model_rank_recip",
        "popular_present", "popular_rank_recip", "log_count", "log_count_rel",
        "chars_left", "word_overlap", "extends_previous", "same_first_word", "equals_previous", "previous_source",
    ];

    /// <summary>Features per candidate.</summary>
    public const int Count = 14;

    /// <summary>Prefix-length buckets with their own weights, the same as the evaluation's ("1-3", "4-6", "7+").</summary>
    public const int Buckets = 3;

    /// <summary>The weight bucket of a prefix of <paramref name="length"/> characters.</summary>
    public static int Bucket(int length) => length <= 3 ? 0 : length <= 6 ? 1 : 2;

    /// <summary>Fills the features of every candidate in <paramref name="pool"/>.</summary>
    /// <param name="pool">The merged candidates.</param>
    /// <param name="labels">Label strings by id.</param>
    /// <param name="counts">Training frequency by label id (all positive).</param>
    /// <param name="previous">The cleaned previous query.</param>
    /// <param name="prefix">The cleaned prefix.</param>
    public static void Compute(QacCandidatePool pool, string[] labels, int[] counts, string previous, string prefix)
    {
        int maxCount = 1;
        for (int i = 0; i < pool.Count; i++) maxCount = Math.Max(maxCount, counts[pool.Items[i].Label]);
        float logMax = MathF.Log(maxCount);
        var previousFirst = FirstWord(previous);
        for (int i = 0; i < pool.Count; i++)
        {
            ref readonly var c = ref pool.Items[i];
            string label = labels[c.Label];
            var f = pool.FeaturesOf(i);
            bool model = c.ModelRank >= 0;
            f[0] = model ? 1 : 0;
            f[1] = model ? c.ModelScore : 0;
            f[2] = model ? Math.Max(MathF.Log(Math.Max(c.ModelScore, 1e-30f)), -12f) : 0;
            f[3] = model ? 1f / (1 + c.ModelRank) : 0;
            bool popular = c.PopularRank >= 0;
            f[4] = popular ? 1 : 0;
            f[5] = popular ? 1f / (1 + c.PopularRank) : 0;
            float logCount = MathF.Log(counts[c.Label]);
            f[6] = Math.Min(logCount, 20f);
            f[7] = logCount - logMax;
            f[8] = Math.Min(Math.Max(label.Length - prefix.Length, 0), 40) / 10f;
            f[9] = WordOverlap(label, previous);
            f[10] = label.Length > previous.Length && label[previous.Length] == ' ' && label.StartsWith(previous, StringComparison.Ordinal) ? 1 : 0;
            f[11] = FirstWord(label).SequenceEqual(previousFirst) ? 1 : 0;
            f[12] = string.Equals(label, previous, StringComparison.Ordinal) ? 1 : 0;
            f[13] = c.Sources.HasFlag(QacSuggestionSource.PreviousQuery) ? 1 : 0;
        }
    }

    private static ReadOnlySpan<char> FirstWord(string s)
    {
        int space = s.IndexOf(' ');
        return space < 0 ? s : s.AsSpan(0, space);
    }

    /// <summary>Share of the candidate's words (space-separated) that also occur in the previous query; 0 for none.</summary>
    internal static float WordOverlap(ReadOnlySpan<char> candidate, ReadOnlySpan<char> previous)
    {
        int words = 0, shared = 0;
        foreach (var range in candidate.Split(' '))
        {
            var word = candidate[range];
            if (word.IsEmpty) continue;
            words++;
            foreach (var other in previous.Split(' '))
                if (previous[other].SequenceEqual(word)) { shared++; break; }
        }
        return words == 0 ? 0 : (float)shared / words;
    }
}
