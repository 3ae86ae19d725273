using XmrEngine.Sparse;
using XmrEngine.Text;
using XmrEngine.Training;

namespace XmrEngine.Apps.ProductRetrieval;

/// <summary>
/// Builds a <see cref="ProductRetrievalModel"/>: fits the vectorizer on queries and item texts, embeds the
/// items (PIFA, or PIFA beside their own text), builds the label tree and trains XR-Linear on it.
/// </summary>
internal static class ProductRetrievalTrainer
{
    public static ProductRetrievalModel Train(IReadOnlyList<LabeledQuery> queries, IReadOnlyList<string> itemTexts,
        ProductRetrievalOptions options, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentNullException.ThrowIfNull(itemTexts);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        CheckInputs(queries, itemTexts);
        string? choiceNote = null;
        if (options.ChooseTextWeight)
        {
            // The choice trains its own model on part of the queries; the model returned is trained on all of them.
            var choice = TextWeightChoice.Choose(queries, itemTexts, options with { ChooseTextWeight = false }, cancellationToken);
            options = options with { ChooseTextWeight = false, TextWeight = choice.Weight };
            choiceNote = choice.Description;
        }
        var items = itemTexts.ToArray();
        int threads = options.Training.Threads;

        // Item texts join the corpus so their words have features (and idf) even when no query uses them:
        // without this, pifa+text and item-text queries would see only the query vocabulary.
        var vectorizer = CombinedTfidfVectorizer.Fit(queries.Select(q => q.Text).Concat(items), options.Vectorizer, threads);
        cancellationToken.ThrowIfCancellationRequested();
        var x = vectorizer.Transform(queries.Select(q => q.Text), threads);
        var y = LabelMatrix(queries, items.Length);
        bool needItemRows = options.ItemEmbedding == ItemEmbedding.PifaText || options.ItemTextsAsQueries;
        var itemRows = needItemRows ? vectorizer.Transform(items, threads) : null;
        if (options.ItemTextsAsQueries)
        {
            x = SparseOps.VStack(x, itemRows!);
            y = SparseOps.VStack(y, Identity(items.Length));
        }
        cancellationToken.ThrowIfCancellationRequested();

        // The library's tree step, with the items' own text beside PIFA for pifa+text.
        var chain = XLinearTrainer.BuildTree(x, y, options.Training, options.ItemEmbedding == ItemEmbedding.PifaText ? itemRows : null, cancellationToken);
        var training = options.UseRelevances && queries.Any(q => q.Relevances is not null)
            ? options.Training with
            {
                Relevance = new RelevanceWeights(QueryRelevance.Matrix(queries, items.Length, options.ItemTextsAsQueries), options.RelevanceMode, options.RelevanceNorm),
            }
            : options.Training;
        var model = XLinearTrainer.Train(x, y, chain, training, progress, cancellationToken);
        var info = new ProductModelInfo(options.ItemEmbedding, options.ItemTextsAsQueries, queries.Count, options.Prediction, options.TextWeight,
            options.TitleCandidates, options.TitleIdfOnce) { TextWeightChoice = choiceNote };
        return new ProductRetrievalModel(vectorizer, model, items, info, itemRows);
    }

    private static void CheckInputs(IReadOnlyList<LabeledQuery> queries, IReadOnlyList<string> items)
    {
        if (items.Count == 0) throw new ArgumentException("There are no items to retrieve.", nameof(items));
        if (queries.Count == 0) throw new ArgumentException("There are no training queries.", nameof(queries));
        for (int i = 0; i < items.Count; i++)
            if (items[i] is null) throw new ArgumentException($"Item {i} has a null text.", nameof(items));
        for (int i = 0; i < queries.Count; i++)
        {
            var q = queries[i] ?? throw new ArgumentException($"Training query {i} is null.", nameof(queries));
            if (q.Text is null) throw new ArgumentException($"Training query {i} has a null text.", nameof(queries));
            if (q.ItemIds is null || q.ItemIds.Length == 0)
                throw new ArgumentException($"Training query {i} (\"{Shorten(q.Text)}\") has no relevant items.", nameof(queries));
            if (q.Relevances is not null && q.Relevances.Length != q.ItemIds.Length)
                throw new ArgumentException($"Training query {i} (\"{Shorten(q.Text)}\") has {q.Relevances.Length} relevances for {q.ItemIds.Length} items.", nameof(queries));
            if (q.Relevances is not null && q.Relevances.Any(r => !(r > 0 && float.IsFinite(r))))
                throw new ArgumentException($"Training query {i} (\"{Shorten(q.Text)}\") has a relevance that is not a positive number.", nameof(queries));
            foreach (int id in q.ItemIds)
                if ((uint)id >= (uint)items.Count)
                    throw new ArgumentException(
                        $"Training query {i} (\"{Shorten(q.Text)}\") names item {id}, but item ids run from 0 to {items.Count - 1}.", nameof(queries));
        }
    }

    /// <summary>Queries x items, 1 for every relevant pair (duplicate ids count once).</summary>
    internal static CsrMatrix LabelMatrix(IReadOnlyList<LabeledQuery> queries, int itemCount)
    {
        var rowPtr = new long[queries.Count + 1];
        var cols = new List<int>();
        for (int i = 0; i < queries.Count; i++)
        {
            var ids = queries[i].ItemIds.ToArray();
            Array.Sort(ids);
            for (int k = 0; k < ids.Length; k++)
                if (k == 0 || ids[k] != ids[k - 1]) cols.Add(ids[k]);
            rowPtr[i + 1] = cols.Count;
        }
        var values = new float[cols.Count];
        Array.Fill(values, 1f);
        return new CsrMatrix(queries.Count, itemCount, rowPtr, [.. cols], values);
    }

    private static CsrMatrix Identity(int n)
    {
        var rowPtr = new long[n + 1];
        var cols = new int[n];
        var values = new float[n];
        for (int i = 0; i < n; i++)
        {
            rowPtr[i + 1] = i + 1;
            cols[i] = i;
            values[i] = 1f;
        }
        return new CsrMatrix(n, n, rowPtr, cols, values);
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..57] + "...";
}
