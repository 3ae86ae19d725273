using XmrEngine.Inference;
using XmrEngine.Text;
using XmrEngine.Training;

namespace XmrEngine.Apps.ProductRetrieval;

/// <summary>
/// Settings of <see cref="ProductRetrievalModel.Train"/>: the text featurisation, how items are embedded for
/// the label tree, XR-Linear's training options and the beam-search defaults stored with the model.
/// </summary>
public sealed record ProductRetrievalOptions
{
    /// <summary>
    /// The default featurisation (as in PECOS's text2text product search): word 1-3-gram TF-IDF and character
    /// 3-gram TF-IDF inside white-space separated words (word edges marked by padding), each L2-normalised,
    /// side by side, normalised again.
    /// </summary>
    public static CombinedTfidfOptions DefaultVectorizer { get; } = new()
    {
        Bases =
        [
            new TfidfOptions { Analyzer = TextAnalyzer.Word, MinNgram = 1, MaxNgram = 3 },
            new TfidfOptions { Analyzer = TextAnalyzer.CharWordBounded, MinNgram = 3, MaxNgram = 3 },
        ],
        Norm = TfidfNorm.L2,
    };

    /// <summary>Vectorizer settings [<see cref="DefaultVectorizer"/>]; PECOS's JSON shape via <see cref="CombinedTfidfOptions.FromJson"/>.</summary>
    public CombinedTfidfOptions Vectorizer { get; init; } = DefaultVectorizer;

    /// <summary>Item representation for building the label tree [pifa+text].</summary>
    public ItemEmbedding ItemEmbedding { get; init; } = ItemEmbedding.PifaText;

    /// <summary>
    /// Also train on every item's own text as a query for that item [false]. This gives items that no
    /// training query mentions a positive example, so the rankers at the leaves learn them too.
    /// </summary>
    public bool ItemTextsAsQueries { get; init; }

    /// <summary>
    /// XR-Linear options [PECOS's defaults]. <see cref="XLinearTrainOptions.Threads"/> also drives the vectorizer,
    /// and <see cref="XLinearTrainOptions.Indexer"/> builds the tree.
    /// </summary>
    public XLinearTrainOptions Training { get; init; } = new();

    /// <summary>
    /// Default weight w in [0, 1] of the query-item text cosine when ranking [0 = plain XR-Linear]: the items of
    /// the leaf clusters the beam reaches are scored <c>(1 - w) x tree score + w x cosine(query, item text)</c>.
    /// </summary>
    public float TextWeight { get; init; }

    /// <summary>
    /// Default number N of title-index candidates [0 = none]. With N &gt; 0 and a positive <see cref="TextWeight"/>,
    /// the N items whose own text is most similar to the query (exact top-N cosine, from an inverted index over the
    /// item rows) join the beam's candidates before the blended ranking; items the beam did not reach count with
    /// tree score 0. This finds items no training query mentions, without a wide beam.
    /// </summary>
    public int TitleCandidates { get; init; }

    /// <summary>
    /// Compare queries with item texts counting idf once instead of twice [false]: the item rows used by the text
    /// cosine (re-ranking and title index) have idf divided out and are L2-normalised again, so a shared term
    /// weighs idf once, as in BM25. Only affects ranking, not the trained XR-Linear model.
    /// </summary>
    public bool TitleIdfOnce { get; init; }

    /// <summary>
    /// Choose the text weight on the user's own data instead of taking <see cref="TextWeight"/> as it is [false]: a seeded
    /// slice of the training queries is held out (<see cref="TextWeightChoice"/>), a model trained on the rest ranks
    /// them with each candidate weight, and the weight with the best held-out recall is saved with the model trained on
    /// every query. How much the item texts say differs from one catalogue to the next (product titles say a lot, site
    /// names little), so no fixed weight suits both. Costs about one more training on 90% of the queries.
    /// </summary>
    public bool ChooseTextWeight { get; init; }

    /// <summary>
    /// Train cost-sensitively when queries carry <see cref="LabeledQuery.Relevances"/> [true]: an item's relevance for a
    /// query multiplies the cost of errors on that pair (<see cref="XLinearTrainOptions.Relevance"/>, built from the
    /// queries with <see cref="RelevanceMode"/> and <see cref="RelevanceNorm"/>; item texts used as queries count 1).
    /// False ignores the relevances, as PECOS's text2text does unless told a relevance mode.
    /// </summary>
    public bool UseRelevances { get; init; } = true;

    /// <summary>Which tree levels the relevances weigh [induce: every level, a node summing its items'].</summary>
    public RelevanceMode RelevanceMode { get; init; } = RelevanceMode.Induce;

    /// <summary>How each query's relevances are scaled on every level [none].</summary>
    public RelevanceNorm RelevanceNorm { get; init; } = RelevanceNorm.None;

    /// <summary>Beam-search defaults stored with the model [beam 10, top 10, l3-hinge].</summary>
    public PredictOptions Prediction { get; init; } = PredictOptions.Default;

    /// <summary>Throws when a part is missing or the vectorizer settings are invalid.</summary>
    /// <exception cref="ArgumentException">The message names the field.</exception>
    public void Validate()
    {
        if (Vectorizer is null) throw new ArgumentException("ProductRetrievalOptions.Vectorizer is null.", nameof(Vectorizer));
        if (Training is null) throw new ArgumentException("ProductRetrievalOptions.Training is null.", nameof(Training));
        if (Prediction is null) throw new ArgumentException("ProductRetrievalOptions.Prediction is null.", nameof(Prediction));
        if (!Enum.IsDefined(ItemEmbedding))
            throw new ArgumentException($"ProductRetrievalOptions.ItemEmbedding: unknown value {(int)ItemEmbedding}.", nameof(ItemEmbedding));
        if (!(TextWeight >= 0 && TextWeight <= 1))
            throw new ArgumentException($"ProductRetrievalOptions.TextWeight: must lie in [0, 1], got {TextWeight}.", nameof(TextWeight));
        if (TitleCandidates < 0)
            throw new ArgumentException($"ProductRetrievalOptions.TitleCandidates: must be 0 or positive, got {TitleCandidates}.", nameof(TitleCandidates));
        if (!Enum.IsDefined(RelevanceMode))
            throw new ArgumentException($"ProductRetrievalOptions.RelevanceMode: unknown value {(int)RelevanceMode}.", nameof(RelevanceMode));
        if (!Enum.IsDefined(RelevanceNorm))
            throw new ArgumentException($"ProductRetrievalOptions.RelevanceNorm: unknown value {(int)RelevanceNorm}.", nameof(RelevanceNorm));
        Vectorizer.Validate();
    }
}
