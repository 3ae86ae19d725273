using XmrEngine.Apps.ProductRetrieval;
using XmrEngine.Inference;
using XmrEngine.Sparse;
using XmrEngine.Text;

namespace XmrEngine.Baselines;

/// <summary>
/// Lexical retrieval with XmrEngine's own parts and no learning: the product-retrieval vectorizer fitted on the
/// training queries and item texts (as <c>ProductRetrievalModel.Train</c> fits it), and the exact top-k items by
/// cosine from the title index. It isolates what the featurisation alone achieves, in seconds.
/// </summary>
internal sealed class CosineBaseline
{
    private readonly CombinedTfidfVectorizer _vectorizer;
    private readonly TitleIndex _index;
    private readonly TfidfWorkspace _tfidf = new();
    private readonly TitleIndexWorkspace _ws = new();

    public CosineBaseline(IReadOnlyList<LabeledQuery> train, IReadOnlyList<string> items, CombinedTfidfOptions options, bool idfOnce = false)
    {
        _vectorizer = CombinedTfidfVectorizer.Fit(train.Select(q => q.Text).Concat(items), options, 0);
        var rows = _vectorizer.Transform(items, 0);
        _index = new TitleIndex(idfOnce ? ItemRowWeighting.IdfOnce(rows, _vectorizer) : rows);
    }

    /// <summary>The best <paramref name="k"/> items by cosine, best first (one thread).</summary>
    public ScoredLabel[] Search(string query, int k)
    {
        var row = _vectorizer.Transform(query.AsSpan(), _tfidf);
        _index.Accumulate(row, _ws);
        var output = new ScoredLabel[Math.Min(k, _index.ItemCount)];
        int found = TitleIndex.SelectTop(_ws, k, output);
        _ws.Clear();
        return output[..found];
    }

    /// <summary>Every query's top k as a queries x items matrix (rows sorted by id).</summary>
    public CsrMatrix SearchAll(IReadOnlyList<string> queries, int k)
    {
        var rowPtr = new long[queries.Count + 1];
        var cols = new List<int>();
        var values = new List<float>();
        for (int i = 0; i < queries.Count; i++)
        {
            foreach (var s in Search(queries[i], k).OrderBy(s => s.Label))
            {
                cols.Add(s.Label);
                values.Add(s.Score);
            }
            rowPtr[i + 1] = cols.Count;
        }
        return new CsrMatrix(queries.Count, _index.ItemCount, rowPtr, [.. cols], [.. values]);
    }
}
