namespace XmrEngine.Apps.AutoComplete;

/// <summary>One merged candidate of a fused suggestion: a label and what each source said about it.</summary>
internal struct QacCandidate
{
    /// <summary>Label id.</summary>
    public int Label;

    /// <summary>Beam-search score; meaningful only when <see cref="ModelRank"/> is not negative.</summary>
    public float ModelScore;

    /// <summary>Rank among the beam's prefix-matching candidates (0 = best), or -1 when the beam did not propose it.</summary>
    public int ModelRank;

    /// <summary>Rank among the prefix's most popular completions (0 = most frequent), or -1 when not among them.</summary>
    public int PopularRank;

    /// <summary>Every source that proposed it.</summary>
    public QacSuggestionSource Sources;
}

/// <summary>
/// The candidates of one fused suggestion call, each label once, with their ranker features and scores.
/// Reused per thread (see <see cref="QacScratch"/>): it only grows, so steady-state calls do not allocate.
/// </summary>
internal sealed class QacCandidatePool
{
    private readonly Dictionary<int, int> _slot = [];

    /// <summary>The candidates; the first <see cref="Count"/> are live.</summary>
    public QacCandidate[] Items = new QacCandidate[64];

    /// <summary>Base features, <see cref="QacRankingFeatures.Count"/> per candidate, in candidate order.</summary>
    public float[] Features = new float[64 * QacRankingFeatures.Count];

    /// <summary>Ranker score per candidate.</summary>
    public float[] Scores = new float[64];

    /// <summary>Live candidates.</summary>
    public int Count { get; private set; }

    /// <summary>Empties the pool.</summary>
    public void Clear()
    {
        Count = 0;
        _slot.Clear();
    }

    /// <summary>The candidate of <paramref name="label"/>, added (with no source yet) when it is not in the pool.</summary>
    public ref QacCandidate Get(int label)
    {
        if (_slot.TryGetValue(label, out int at)) return ref Items[at];
        if (Count == Items.Length)
        {
            int size = 2 * Items.Length;
            Array.Resize(ref Items, size);
            Array.Resize(ref Scores, size);
            Array.Resize(ref Features, size * QacRankingFeatures.Count);
        }
        _slot[label] = Count;
        Items[Count] = new QacCandidate { Label = label, ModelRank = -1, PopularRank = -1 };
        return ref Items[Count++];
    }

    /// <summary>The features of candidate <paramref name="i"/>.</summary>
    public Span<float> FeaturesOf(int i) => Features.AsSpan(i * QacRankingFeatures.Count, QacRankingFeatures.Count);
}
