namespace XmrEngine.Inference;

/// <summary>
/// Beam-search settings. Defaults are PECOS's: beam 10, top 10, l3-hinge. Validated on construction
/// (via <c>init</c>); errors name the field and the value.
/// </summary>
public sealed record PredictOptions
{
    private readonly int _beamSize = 10;
    private readonly int _topK = 10;
    private readonly PostProcessor _postProcessor = PostProcessor.L3Hinge;
    private readonly EnsembleCombination _combination = EnsembleCombination.Average;

    /// <summary>Shared instance holding the defaults.</summary>
    public static PredictOptions Default { get; } = new();

    /// <summary>Nodes kept at every level above the labels (PECOS <c>beam_size</c>) [10].</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not positive.</exception>
    public int BeamSize
    {
        get => _beamSize;
        init
        {
            if (value <= 0) throw new ArgumentOutOfRangeException(nameof(BeamSize), value, "BeamSize must be positive.");
            _beamSize = value;
        }
    }

    /// <summary>Labels returned per query (PECOS <c>only_topk</c> at the last level) [10].</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not positive.</exception>
    public int TopK
    {
        get => _topK;
        init
        {
            if (value <= 0) throw new ArgumentOutOfRangeException(nameof(TopK), value, "TopK must be positive.");
            _topK = value;
        }
    }

    /// <summary>Score transform and combiner [l3-hinge].</summary>
    /// <exception cref="ArgumentNullException">Null.</exception>
    public PostProcessor PostProcessor
    {
        get => _postProcessor;
        init => _postProcessor = value ?? throw new ArgumentNullException(nameof(PostProcessor));
    }

    /// <summary>How an ensemble's trees are combined [average]; one-tree models ignore it.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not a defined value.</exception>
    public EnsembleCombination Combination
    {
        get => _combination;
        init => _combination = Enum.IsDefined(value) ? value : throw new ArgumentOutOfRangeException(nameof(Combination), value, "Combination must be Average, ReciprocalRank or Max.");
    }

    /// <summary>
    /// These options with <see cref="TopK"/> reduced to at most <paramref name="labelCount"/> and
    /// <see cref="BeamSize"/> to at most <paramref name="widestLevel"/> (the most nodes on any tree level;
    /// the label count when null): a model cannot return more labels than it has, nor keep more nodes in a
    /// beam than a level holds, so larger values change nothing but the memory reserved for them. Returns
    /// this instance when nothing needs capping (so the hot path allocates nothing); counts below 1 are
    /// treated as 1.
    /// </summary>
    public PredictOptions CappedTo(int labelCount, int? widestLevel = null)
    {
        int k = Math.Max(1, labelCount), beam = Math.Max(1, widestLevel ?? labelCount);
        if (BeamSize <= beam && TopK <= k) return this;
        return this with { BeamSize = Math.Min(BeamSize, beam), TopK = Math.Min(TopK, k) };
    }
}
