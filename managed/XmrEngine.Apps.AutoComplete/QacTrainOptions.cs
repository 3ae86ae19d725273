using XmrEngine.Training;

namespace XmrEngine.Apps.AutoComplete;

/// <summary>
/// Options of <see cref="QacTrainer"/>. Every property checks its value when set (also through <c>with</c>),
/// so an instance is always valid; errors name the field and the value.
/// </summary>
public sealed record QacTrainOptions
{
    private const string Name = nameof(QacTrainOptions);
    private readonly QacIndexerKind _indexer = QacIndexerKind.Hybrid;
    private readonly int _trieDepth = 2;
    private readonly int _prefixesPerPair = 4;
    private readonly int _beamSize = 10;
    private readonly int _maxCandidates = 1000;
    private readonly int _threads;
    private readonly XLinearTrainOptions _xlinear = new();
    private readonly double _rankerUsers = 0.1;
    private readonly double _rankerLatestSessions = 0.1;
    private readonly int _rankerModelCandidates = 100;
    private readonly int _rankerPopularCandidates = 50;
    private readonly int _rankerPreviousCandidates = 10;
    private readonly int _minPopularCount = 2;

    /// <summary>How the label tree is built [hybrid].</summary>
    public QacIndexerKind Indexer
    {
        get => _indexer;
        init => _indexer = Enum.IsDefined(value) ? value : throw new ArgumentOutOfRangeException(nameof(Indexer), value, $"{Name}.{nameof(Indexer)} is not a known indexer.");
    }

    /// <summary>Character levels of the trie and hybrid indexers [2]; 1 to 16.</summary>
    public int TrieDepth
    {
        get => _trieDepth;
        init => _trieDepth = value is >= 1 and <= 16 ? value : throw new ArgumentOutOfRangeException(nameof(TrieDepth), value, $"{Name}.{nameof(TrieDepth)} must be in 1..16.");
    }

    /// <summary>
    /// Training instances per (previous, next) pair [4]: that many distinct prefix lengths of the next query,
    /// drawn uniformly from 1..len (all lengths of shorter queries), each an instance labelled with the next query.
    /// </summary>
    public int PrefixesPerPair
    {
        get => _prefixesPerPair;
        init => _prefixesPerPair = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(PrefixesPerPair), value, $"{Name}.{nameof(PrefixesPerPair)} must be at least 1.");
    }

    /// <summary>Beam width of the suggestion search [10].</summary>
    public int BeamSize
    {
        get => _beamSize;
        init => _beamSize = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(BeamSize), value, $"{Name}.{nameof(BeamSize)} must be at least 1.");
    }

    /// <summary>
    /// Upper bound on the candidates taken from the beam search before the prefix filter [1000]; the model
    /// takes min(beam x largest leaf, this).
    /// </summary>
    public int MaxCandidates
    {
        get => _maxCandidates;
        init => _maxCandidates = value >= 10 ? value : throw new ArgumentOutOfRangeException(nameof(MaxCandidates), value, $"{Name}.{nameof(MaxCandidates)} must be at least 10.");
    }

    /// <summary>
    /// The fewest times a next query must occur in training to be suggested on popularity alone [2], recorded in the
    /// model (<see cref="QacModelSettings.MinPopularCount"/>). A query one user typed once is theirs, not a popular one:
    /// with 2, popularity never offers it to others, while the model's beam search still may when the context calls for it.
    /// 1 offers every query.
    /// </summary>
    public int MinPopularCount
    {
        get => _minPopularCount;
        init => _minPopularCount = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(MinPopularCount), value, $"{Name}.{nameof(MinPopularCount)} must be at least 1.");
    }

    /// <summary>Seed of the training prefix lengths, the tree and the solver order [0].</summary>
    public int Seed { get; init; }

    /// <summary>Worker threads [0 = all cores]; never changes the model.</summary>
    public int Threads
    {
        get => _threads;
        init => _threads = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(Threads), value, $"{Name}.{nameof(Threads)} must be 0 (all cores) or positive.");
    }

    /// <summary>XR-Linear options; its <see cref="XLinearTrainOptions.Indexer"/> (NrSplits, MaxLeafSize, MaxIterations) also drives k-means and hybrid clustering.</summary>
    public XLinearTrainOptions XLinear
    {
        get => _xlinear;
        init => _xlinear = value ?? throw new ArgumentNullException(nameof(XLinear), $"{Name}.{nameof(XLinear)} must not be null.");
    }

    /// <summary>
    /// Share of the training users (or TSV session ids) kept out of the XR-Linear model to train the fusion ranker on
    /// [0.1]; in [0, 0.9]. 0 trains no ranker (suggestions then rank as <see cref="QacSuggester.ModelWithFill"/>).
    /// Used by the session overload of <see cref="QacModel.Train(IReadOnlyList{QuerySession}, QacTrainOptions?, QacDataOptions?, QacTrainingReport?, IProgress{TrainingProgress}?, CancellationToken)"/>.
    /// </summary>
    public double RankerUsers
    {
        get => _rankerUsers;
        init => _rankerUsers = value is >= 0 and <= 0.9 ? value : throw new ArgumentOutOfRangeException(nameof(RankerUsers), value, $"{Name}.{nameof(RankerUsers)} must be in [0, 0.9].");
    }

    /// <summary>Prefix-matching beam candidates the fusion ranker sees per request [100]; 1 to 10,000.</summary>
    public int RankerModelCandidates
    {
        get => _rankerModelCandidates;
        init => _rankerModelCandidates = value is >= 1 and <= 10_000 ? value : throw new ArgumentOutOfRangeException(nameof(RankerModelCandidates), value, $"{Name}.{nameof(RankerModelCandidates)} must be in 1..10000.");
    }

    /// <summary>Most-popular completions of the prefix the fusion ranker sees per request [50]; 1 to 1,000.</summary>
    public int RankerPopularCandidates
    {
        get => _rankerPopularCandidates;
        init => _rankerPopularCandidates = value is >= 1 and <= 1000 ? value : throw new ArgumentOutOfRangeException(nameof(RankerPopularCandidates), value, $"{Name}.{nameof(RankerPopularCandidates)} must be in 1..1000.");
    }

    /// <summary>Popular completions of each previous-query stem the fusion ranker sees per request [10]; 1 to 1,000.</summary>
    public int RankerPreviousCandidates
    {
        get => _rankerPreviousCandidates;
        init => _rankerPreviousCandidates = value is >= 1 and <= 1000 ? value : throw new ArgumentOutOfRangeException(nameof(RankerPreviousCandidates), value, $"{Name}.{nameof(RankerPreviousCandidates)} must be in 1..1000.");
    }

    /// <summary>
    /// Share of the other users' training sessions, the latest by start time, also kept out of the XR-Linear model for
    /// the fusion ranker [0.1]; in [0, 0.5]. Used only when <see cref="RankerUsers"/> is positive.
    /// </summary>
    public double RankerLatestSessions
    {
        get => _rankerLatestSessions;
        init => _rankerLatestSessions = value is >= 0 and <= 0.5 ? value : throw new ArgumentOutOfRangeException(nameof(RankerLatestSessions), value, $"{Name}.{nameof(RankerLatestSessions)} must be in [0, 0.5].");
    }

    /// <summary>
    /// After the fusion ranker is trained, train the served XR-Linear model again on every session, the ranker's slice
    /// included [true]: about twice the training time, no data lost. False serves the model the ranker was trained against.
    /// </summary>
    public bool RankerRetrain { get; init; } = true;
}
