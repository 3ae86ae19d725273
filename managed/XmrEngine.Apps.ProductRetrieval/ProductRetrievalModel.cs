using XmrEngine.Inference;
using XmrEngine.Models;
using XmrEngine.Sparse;
using XmrEngine.Text;
using XmrEngine.Training;
using XmrEngine.Common;
using XmrEngine.Serving;

namespace XmrEngine.Apps.ProductRetrieval;

/// <summary>
/// A trained query-to-product retriever (PECOS text2text): a fitted TF-IDF vectorizer, an XR-Linear model
/// whose labels are the items, and the item texts. <see cref="Predict(string, int)"/> vectorises a query and
/// beam-searches the label tree.
/// <para>
/// Thread safety: immutable after construction; any number of threads may call the Predict methods at once
/// and get exactly what sequential calls would give (vectorizer and predictor scratch space is per thread).
/// </para>
/// </summary>
public sealed class ProductRetrievalModel : IServableModel
{
    /// <summary>The kind's name: <c>products</c>.</summary>
    public const string KindName = "products";

    [ThreadStatic] private static TfidfWorkspace? t_workspace;
    private readonly string[] _items;
    private readonly Lazy<CsrMatrix> _itemRows;
    private readonly Lazy<TextReranker> _reranker;
    private readonly Lazy<HybridRanker> _hybrid;
    // Per-thread scratch, shared by all models on the thread (it only grows), like the predictor's workspace:
    // one idiom for serving scratch, and nothing undisposed per model.
    [ThreadStatic] private static TitleIndexWorkspace? t_titleWorkspace;

    internal ProductRetrievalModel(CombinedTfidfVectorizer vectorizer, XLinearModel model, string[] items, ProductModelInfo info, CsrMatrix? itemRows = null)
    {
        if (model.LabelCount != items.Length)
            throw new ArgumentException($"The model has {model.LabelCount} labels but there are {items.Length} item texts.", nameof(items));
        if (model.FeatureCount != vectorizer.FeatureCount)
            throw new ArgumentException($"The model expects {model.FeatureCount} features but the vectorizer produces {vectorizer.FeatureCount}.", nameof(vectorizer));
        Vectorizer = vectorizer;
        Model = model;
        Info = info;
        _items = items;
        Predictor = new XLinearPredictor(model, info.Prediction);
        if (itemRows is not null && (itemRows.Rows != items.Length || itemRows.Cols != vectorizer.FeatureCount))
            throw new ArgumentException($"Item rows are {itemRows.Rows} x {itemRows.Cols}, expected {items.Length} x {vectorizer.FeatureCount}.", nameof(itemRows));
        // Item text rows (as compared with queries) are only needed for text re-ranking and the title index; a loaded
        // model builds them on first use.
        _itemRows = new Lazy<CsrMatrix>(() =>
        {
            var rows = itemRows ?? vectorizer.Transform(items);
            return info.TitleIdfOnce ? ItemRowWeighting.IdfOnce(rows, vectorizer) : rows;
        }, LazyThreadSafetyMode.ExecutionAndPublication);
        _reranker = new Lazy<TextReranker>(() => new TextReranker(_itemRows.Value, model.Chain), LazyThreadSafetyMode.ExecutionAndPublication);
        _hybrid = new Lazy<HybridRanker>(() => new HybridRanker(new TitleIndex(_itemRows.Value)), LazyThreadSafetyMode.ExecutionAndPublication);
        // A model whose defaults use the title index builds it now, so the first query is not the one that waits.
        if (info.TextWeight > 0 && info.TitleCandidates > 0) _ = _hybrid.Value;
    }

    /// <summary>The fitted query vectorizer.</summary>
    public CombinedTfidfVectorizer Vectorizer { get; }

    /// <summary>The XR-Linear model (labels = items).</summary>
    public XLinearModel Model { get; }

    /// <summary>The compiled predictor used by the Predict methods.</summary>
    public XLinearPredictor Predictor { get; }

    /// <summary>How the model was trained, and its prediction defaults.</summary>
    public ProductModelInfo Info { get; }

    /// <summary>The item texts; the index is the item id.</summary>
    public IReadOnlyList<string> Items => _items;

    /// <summary>Number of items.</summary>
    public int ItemCount => _items.Length;

    /// <summary>
    /// Trains a retriever.
    /// </summary>
    /// <param name="queries">Training queries with their relevant item ids.</param>
    /// <param name="itemTexts">Item texts (titles); the index is the item id.</param>
    /// <param name="options">Settings; null for the defaults.</param>
    /// <param name="progress">Per-level training progress.</param>
    /// <param name="cancellationToken">Stops training between steps and nodes.</param>
    /// <exception cref="ArgumentException">No items or queries, a null text, a query without items or an item id
    /// out of range (the message names the query), or invalid options.</exception>
    public static ProductRetrievalModel Train(IReadOnlyList<LabeledQuery> queries, IReadOnlyList<string> itemTexts,
        ProductRetrievalOptions? options = null, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default) =>
        ProductRetrievalTrainer.Train(queries, itemTexts, options ?? new ProductRetrievalOptions(), progress, cancellationToken);

    /// <summary>The best <paramref name="topK"/> items for <paramref name="query"/>, best first, with the default beam.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="topK"/> is not positive.</exception>
    public ProductMatch[] Predict(string query, int topK) => Predict(query, Info.Prediction with { TopK = topK });

    /// <summary>The best items for <paramref name="query"/>, best first, with the model's text weight and title candidates.</summary>
    /// <param name="query">Free text; an empty or all-unknown query still gets the model's bias-only answer.</param>
    /// <param name="options">Beam settings; null for <see cref="ProductModelInfo.Prediction"/>.</param>
    public ProductMatch[] Predict(string query, PredictOptions? options = null) => Predict(query, options, Info.TextWeight);

    /// <summary>
    /// The best items for <paramref name="query"/>, best first, with the model's title candidates. With
    /// <paramref name="textWeight"/> w &gt; 0, every item in the leaf clusters the beam reaches is scored
    /// <c>(1 - w) x tree score + w x cosine(query, item text)</c>.
    /// </summary>
    /// <param name="query">Free text.</param>
    /// <param name="options">Beam settings; null for <see cref="ProductModelInfo.Prediction"/>.</param>
    /// <param name="textWeight">Weight of the query-item text cosine, in [0, 1]; 0 is plain XR-Linear.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="textWeight"/> is outside [0, 1].</exception>
    public ProductMatch[] Predict(string query, PredictOptions? options, float textWeight) =>
        Predict(query, options, textWeight, Info.TitleCandidates);

    /// <summary>
    /// The best items for <paramref name="query"/>, best first. With <paramref name="textWeight"/> w &gt; 0 the
    /// candidates are every item in the leaf clusters the beam reaches plus, when <paramref name="titleCandidates"/>
    /// N &gt; 0, the N items with the highest cosine between the query and their own text (exact, from an inverted
    /// index over all items); each is scored <c>(1 - w) x tree score + w x cosine</c>, with tree score 0 for items
    /// the beam did not reach. With w = 0 the result is plain XR-Linear and N is ignored.
    /// </summary>
    /// <param name="query">Free text.</param>
    /// <param name="options">Beam settings; null for <see cref="ProductModelInfo.Prediction"/>.</param>
    /// <param name="textWeight">Weight of the query-item text cosine, in [0, 1].</param>
    /// <param name="titleCandidates">Number N of title-index candidates; 0 for none.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="textWeight"/> is outside [0, 1] or
    /// <paramref name="titleCandidates"/> is negative.</exception>
    public ProductMatch[] Predict(string query, PredictOptions? options, float textWeight, int titleCandidates)
    {
        ArgumentNullException.ThrowIfNull(query);
        CheckTextWeight(textWeight);
        ArgumentOutOfRangeException.ThrowIfNegative(titleCandidates);
        options ??= Info.Prediction;
        var workspace = t_workspace ??= new TfidfWorkspace();
        var row = Vectorizer.Transform(query.AsSpan(), workspace);
        ScoredLabel[] labels;
        if (textWeight == 0)
        {
            labels = Predictor.Predict(row.Indices, row.Values, options);
        }
        else
        {
            var reranker = _reranker.Value;
            var candidates = Predictor.Predict(row.Indices, row.Values, reranker.CandidateOptions(options));
            labels = titleCandidates == 0
                ? reranker.Rerank(row, candidates, textWeight, options.TopK)
                : _hybrid.Value.Rank(row, candidates, titleCandidates, textWeight, options.TopK, t_titleWorkspace ??= new TitleIndexWorkspace());
        }
        var result = new ProductMatch[labels.Length];
        for (int i = 0; i < labels.Length; i++) result[i] = new ProductMatch(labels[i].Label, _items[labels[i].Label], labels[i].Score);
        return result;
    }

    /// <summary>
    /// Predicts many queries in parallel: row i holds query i's top-k item ids and scores (CSR, sorted by id).
    /// The output is the same for any thread count.
    /// </summary>
    /// <param name="queries">Query texts.</param>
    /// <param name="options">Beam settings; null for <see cref="ProductModelInfo.Prediction"/>.</param>
    /// <param name="threads">Worker threads; 0 for all cores.</param>
    /// <param name="textWeight">Text cosine weight (see <see cref="Predict(string, PredictOptions?, float, int)"/>); null for the model's.</param>
    /// <param name="titleCandidates">Title-index candidates per query; null for the model's.</param>
    public CsrMatrix PredictBatch(IReadOnlyList<string> queries, PredictOptions? options = null, int threads = 0, float? textWeight = null,
        int? titleCandidates = null)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentOutOfRangeException.ThrowIfNegative(threads);
        options ??= Info.Prediction;
        float weight = textWeight ?? Info.TextWeight;
        int titles = titleCandidates ?? Info.TitleCandidates;
        CheckTextWeight(weight);
        ArgumentOutOfRangeException.ThrowIfNegative(titles, nameof(titleCandidates));
        if (weight == 0) return Predictor.Predict(Vectorizer.Transform(queries, threads), options, threads);
        var answers = new ProductMatch[queries.Count][];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = ThreadCount.Resolve(threads) };
        Parallel.For(0, queries.Count, parallel, i => answers[i] = Predict(queries[i], options, weight, titles));
        var rowPtr = new long[queries.Count + 1];
        for (int i = 0; i < answers.Length; i++) rowPtr[i + 1] = rowPtr[i] + answers[i].Length;
        var cols = new int[rowPtr[^1]];
        var values = new float[rowPtr[^1]];
        for (int i = 0; i < answers.Length; i++)
        {
            var sorted = answers[i].OrderBy(m => m.Id).ToArray();
            for (int j = 0; j < sorted.Length; j++)
            {
                cols[rowPtr[i] + j] = sorted[j].Id;
                values[rowPtr[i] + j] = sorted[j].Score;
            }
        }
        return new CsrMatrix(queries.Count, ItemCount, rowPtr, cols, values);
    }

    private static void CheckTextWeight(float weight)
    {
        if (!(weight >= 0 && weight <= 1)) throw new ArgumentOutOfRangeException(nameof(weight), weight, "The text weight must lie in [0, 1].");
    }

    /// <summary>
    /// Saves the model as a directory (vectorizer, XR-Linear model, items, manifest). The directory is
    /// written beside the target and renamed into place, so readers see the old model or the new one,
    /// never a mixture.
    /// </summary>
    /// <exception cref="IOException">The target exists and is not a product retrieval model directory (it is never deleted).</exception>
    public void Save(string directory) => ProductModelDirectory.Save(directory, this);

    /// <summary>Loads a model saved by <see cref="Save"/>.</summary>
    /// <exception cref="IO.XmrDataException">A file is missing, damaged or inconsistent with the others; the message names it.</exception>
    public static ProductRetrievalModel Load(string directory) => ProductModelDirectory.Load(directory);

    /// <summary>
    /// The product-retrieval format: a folder with <c>manifest.json</c> (in its current version), opened with
    /// <see cref="Load"/>. Add it to a <see cref="ModelFormats"/> list to open such folders by path.
    /// </summary>
    public static IModelFormat Format => ProductModelFormat.Instance;

    /// <inheritdoc />
    public string Kind => KindName;

    /// <inheritdoc />
    /// <remarks>The version folder's name for a loaded model; <c>unsaved</c> for one trained in this process.</remarks>
    public string Version { get; internal set; } = "unsaved";

    /// <inheritdoc />
    public int LabelCount => ItemCount;

    /// <inheritdoc />
    public int FeatureCount => Vectorizer.FeatureCount;

    /// <summary>Releases nothing: the model lives in managed memory. Present so every kind of model is closed alike.</summary>
    public void Dispose()
    {
    }
}
