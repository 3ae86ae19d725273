using XmrEngine.Inference;
using XmrEngine.Models;
using XmrEngine.Sparse;
using XmrEngine.Text;
using XmrEngine.Training;

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
public sealed class ProductRetrievalModel
{
    [ThreadStatic] private static TfidfWorkspace? t_workspace;
    private readonly string[] _items;

    internal ProductRetrievalModel(CombinedTfidfVectorizer vectorizer, XLinearModel model, string[] items, ProductModelInfo info)
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

    /// <summary>The best items for <paramref name="query"/>, best first.</summary>
    /// <param name="query">Free text; an empty or all-unknown query still gets the model's bias-only answer.</param>
    /// <param name="options">Beam settings; null for <see cref="ProductModelInfo.Prediction"/>.</param>
    public ProductMatch[] Predict(string query, PredictOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(query);
        options ??= Info.Prediction;
        var workspace = t_workspace ??= new TfidfWorkspace();
        var row = Vectorizer.Transform(query.AsSpan(), workspace);
        var labels = Predictor.Predict(row.Indices, row.Values, options);
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
    public CsrMatrix PredictBatch(IReadOnlyList<string> queries, PredictOptions? options = null, int threads = 0)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentOutOfRangeException.ThrowIfNegative(threads);
        var x = Vectorizer.Transform(queries, threads);
        return Predictor.Predict(x, options ?? Info.Prediction, threads);
    }

    /// <summary>
    /// Saves the model as a directory (vectorizer, XR-Linear model, items, manifest). The directory is
    /// written beside the target and renamed into place, so readers see the old model or the new one,
    /// never a mixture.
    /// </summary>
    /// <exception cref="IOException">The target exists and is not a product retrieval model directory (it is never deleted).</exception>
    public void Save(string directory) => ProductModelDirectory.Save(directory, this);

    /// <summary>Loads a model saved by <see cref="Save"/>.</summary>
    /// <exception cref="InvalidDataException">A file is missing, damaged or inconsistent with the others; the message names it.</exception>
    public static ProductRetrievalModel Load(string directory) => ProductModelDirectory.Load(directory);
}
