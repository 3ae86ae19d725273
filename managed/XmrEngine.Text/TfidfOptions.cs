namespace XmrEngine.Text;

/// <summary>
/// Settings of one TF-IDF vectorizer (PECOS's "base vectorizer"). The defaults are PECOS's, except
/// <see cref="Lowercase"/> (on here; PECOS never changes case). <see cref="Validate"/> checks every field and
/// names the one that is wrong.
/// </summary>
public sealed record TfidfOptions
{
    /// <summary>How the text is cut into terms [word].</summary>
    public TextAnalyzer Analyzer { get; init; } = TextAnalyzer.Word;

    /// <summary>Smallest n-gram length, at least 1 [1].</summary>
    public int MinNgram { get; init; } = 1;

    /// <summary>Largest n-gram length, at least <see cref="MinNgram"/> and at most 64 [1].</summary>
    public int MaxNgram { get; init; } = 1;

    /// <summary>
    /// Keep only the first this many tokens of a document (words for <see cref="TextAnalyzer.Word"/>,
    /// characters for the character analyzers); zero or negative keeps everything [-1].
    /// </summary>
    public int TruncateLength { get; init; } = -1;

    /// <summary>Keep at most this many features, chosen by document frequency; zero keeps all [0].</summary>
    public int MaxFeatures { get; init; }

    /// <summary>Drop terms whose document frequency is below round(ratio x N), ratio in [0, 1) [0].</summary>
    public double MinDfRatio { get; init; }

    /// <summary>Drop terms whose document frequency is above round(ratio x N), ratio in (MinDfRatio, 1] [1].</summary>
    public double MaxDfRatio { get; init; } = 1.0;

    /// <summary>Drop terms that occur in fewer than this many documents [0].</summary>
    public int MinDfCount { get; init; }

    /// <summary>Drop terms that occur in more than this many documents; zero or negative disables [-1].</summary>
    public int MaxDfCount { get; init; } = -1;

    /// <summary>Use 1 for every present term instead of its count [false].</summary>
    public bool Binary { get; init; }

    /// <summary>Multiply term frequencies by idf [true].</summary>
    public bool UseIdf { get; init; } = true;

    /// <summary>Add one to document frequencies (and, for <see cref="IdfFormula.Smooth"/>, to N) [true].</summary>
    public bool SmoothIdf { get; init; } = true;

    /// <summary>Which idf formula to use [PECOS's].</summary>
    public IdfFormula IdfFormula { get; init; } = IdfFormula.Pecos;

    /// <summary>Replace a term frequency tf by 1 + ln(tf) [false].</summary>
    public bool SublinearTf { get; init; }

    /// <summary>
    /// When <see cref="MaxFeatures"/> trims the vocabulary: keep the most frequent terms (true) or the least
    /// frequent ones (false) [true]. Ties are broken by ordinal term order.
    /// </summary>
    public bool KeepFrequentFeatures { get; init; } = true;

    /// <summary>Norm each row is scaled to [L2].</summary>
    public TfidfNorm Norm { get; init; } = TfidfNorm.L2;

    /// <summary>Lower-case the text with the invariant culture before analysing it [true].</summary>
    public bool Lowercase { get; init; } = true;

    /// <summary>
    /// Word analyzer only: reduce every word to its stem before forming n-grams, so that "drills" matches
    /// "drill" [none]. Applied after <see cref="StopWords"/>.
    /// </summary>
    public WordStemmer Stemmer { get; init; } = WordStemmer.None;

    /// <summary>Word analyzer only: drop these words before forming n-grams [none].</summary>
    public StopWordList StopWords { get; init; } = StopWordList.None;

    /// <summary>
    /// Position-weighted term frequency for prefixes (Yadav et al., KDD 2021): an n-gram starting at character
    /// offset i (0-based, in code points) adds 1/(i+1) to its term frequency instead of 1. Document frequencies,
    /// and so idf, still count plain presence. Only valid with <see cref="TextAnalyzer.Char"/> (offsets inside
    /// padded words would not be prefix positions) and without
    /// <see cref="Binary"/> or <see cref="SublinearTf"/> (which would undo or distort the weights) [false].
    /// </summary>
    public bool PositionWeighted { get; init; }

    /// <summary>
    /// The position-weighted character n-gram vectorizer used for query prefixes in auto-completion:
    /// <see cref="TextAnalyzer.Char"/>, n-grams <paramref name="minNgram"/>..<paramref name="maxNgram"/>
    /// (1..3 by default), L2 norm.
    /// </summary>
    /// <param name="minNgram">Smallest n-gram length.</param>
    /// <param name="maxNgram">Largest n-gram length.</param>
    public static TfidfOptions PositionWeightedPrefix(int minNgram = 1, int maxNgram = 3) => new()
    {
        Analyzer = TextAnalyzer.Char,
        MinNgram = minNgram,
        MaxNgram = maxNgram,
        PositionWeighted = true,
    };

    /// <summary>Throws when a field is out of range or fields contradict each other.</summary>
    /// <exception cref="ArgumentException">The message names the offending field and its value.</exception>
    public void Validate()
    {
        if (!Enum.IsDefined(Analyzer)) Fail(nameof(Analyzer), $"unknown analyzer {(int)Analyzer}");
        if (!Enum.IsDefined(Norm)) Fail(nameof(Norm), $"unknown norm {(int)Norm}");
        if (!Enum.IsDefined(IdfFormula)) Fail(nameof(IdfFormula), $"unknown formula {(int)IdfFormula}");
        if (!Enum.IsDefined(Stemmer)) Fail(nameof(Stemmer), $"unknown stemmer {(int)Stemmer}");
        if (!Enum.IsDefined(StopWords)) Fail(nameof(StopWords), $"unknown stop-word list {(int)StopWords}");
        // Stems and stop words are defined on words; inside character n-grams they would have no clear meaning.
        if (Stemmer != WordStemmer.None && Analyzer != TextAnalyzer.Word)
            Fail(nameof(Stemmer), $"needs the Word analyzer, got {Analyzer}");
        if (StopWords != StopWordList.None && Analyzer != TextAnalyzer.Word)
            Fail(nameof(StopWords), $"needs the Word analyzer, got {Analyzer}");
        if (MinNgram < 1) Fail(nameof(MinNgram), $"must be at least 1, got {MinNgram}");
        if (MaxNgram < MinNgram) Fail(nameof(MaxNgram), $"must be at least MinNgram ({MinNgram}), got {MaxNgram}");
        if (MaxNgram > 64) Fail(nameof(MaxNgram), $"must be at most 64, got {MaxNgram}");
        if (MaxFeatures < 0) Fail(nameof(MaxFeatures), $"must be 0 (no limit) or positive, got {MaxFeatures}");
        if (!(MinDfRatio >= 0 && MinDfRatio < 1)) Fail(nameof(MinDfRatio), $"must be in [0, 1), got {MinDfRatio}");
        if (!(MaxDfRatio > MinDfRatio && MaxDfRatio <= 1))
            Fail(nameof(MaxDfRatio), $"must be in (MinDfRatio = {MinDfRatio}, 1], got {MaxDfRatio}");
        if (MinDfCount < 0) Fail(nameof(MinDfCount), $"must be 0 or positive, got {MinDfCount}");
        if (MaxDfCount > 0 && MaxDfCount < MinDfCount)
            Fail(nameof(MaxDfCount), $"must be at least MinDfCount ({MinDfCount}) or non-positive (disabled), got {MaxDfCount}");
        if (PositionWeighted)
        {
            if (Analyzer != TextAnalyzer.Char) Fail(nameof(PositionWeighted), $"needs the Char analyzer, got {Analyzer}");
            if (Binary) Fail(nameof(PositionWeighted), "cannot be combined with Binary, which would erase the position weights");
            if (SublinearTf) Fail(nameof(PositionWeighted), "cannot be combined with SublinearTf: weights below 1/e would turn negative");
        }
    }

    private static void Fail(string field, string what) =>
        throw new ArgumentException($"TfidfOptions.{field}: {what}.", field);
}
