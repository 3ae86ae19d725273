using Lucene.Net.Analysis;
using Lucene.Net.Analysis.En;
using Lucene.Net.Analysis.Standard;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using Lucene.Net.Util;
using XmrEngine.Sparse;

namespace XmrEngine.Baselines;

/// <summary>
/// BM25 (Lucene defaults k1 = 1.2, b = 0.75) over item titles in an in-memory Lucene index. A query is analysed
/// with the same analyzer and becomes a disjunction of its terms, so every title sharing a term is a candidate.
/// </summary>
internal sealed class Bm25Baseline : IDisposable
{
    private const LuceneVersion Version = LuceneVersion.LUCENE_48;
    private const string Field = "title";
    private readonly Analyzer _analyzer;
    private readonly RAMDirectory _directory = new();
    private readonly DirectoryReader _reader;
    private readonly IndexSearcher _searcher;
    private readonly int _itemCount;

    /// <param name="items">Item titles; the index is the item id.</param>
    /// <param name="stemming">EnglishAnalyzer (possessives, stop words, Porter stemming) when true, StandardAnalyzer otherwise.</param>
    public Bm25Baseline(IReadOnlyList<string> items, bool stemming)
    {
        _analyzer = stemming ? new EnglishAnalyzer(Version) : new StandardAnalyzer(Version);
        _itemCount = items.Count;
        var config = new IndexWriterConfig(Version, _analyzer) { Similarity = new BM25Similarity(), OpenMode = OpenMode.CREATE };
        using (var writer = new IndexWriter(_directory, config))
        {
            for (int i = 0; i < items.Count; i++)
                writer.AddDocument(new Document { new StoredField("id", i), new TextField(Field, items[i], Lucene.Net.Documents.Field.Store.NO) });
            writer.Commit();
        }
        _reader = DirectoryReader.Open(_directory);
        _searcher = new IndexSearcher(_reader) { Similarity = new BM25Similarity() };
    }

    /// <summary>The best <paramref name="k"/> item ids and BM25 scores, best first; empty when no term matches.</summary>
    public (int Id, float Score)[] Search(string query, int k)
    {
        var boolean = new BooleanQuery();
        using (var stream = _analyzer.GetTokenStream(Field, query))
        {
            var term = stream.AddAttribute<ICharTermAttribute>();
            stream.Reset();
            while (stream.IncrementToken() && boolean.Clauses.Count < BooleanQuery.MaxClauseCount)
                boolean.Add(new TermQuery(new Term(Field, term.ToString())), Occur.SHOULD);
            stream.End();
        }
        if (boolean.Clauses.Count == 0) return [];
        var hits = _searcher.Search(boolean, k).ScoreDocs;
        var result = new (int, float)[hits.Length];
        for (int i = 0; i < hits.Length; i++)
            result[i] = (_searcher.Doc(hits[i].Doc).GetField("id").GetInt32Value()!.Value, hits[i].Score);
        return result;
    }

    /// <summary>All queries' top-k as a queries x items score matrix (the shape XmcMetrics expects).</summary>
    public CsrMatrix SearchAll(IReadOnlyList<string> queries, int k)
    {
        var answers = new (int Id, float Score)[queries.Count][];
        Parallel.For(0, queries.Count, i => answers[i] = Search(queries[i], k));
        var rowPtr = new long[queries.Count + 1];
        var cols = new List<int>();
        var values = new List<float>();
        for (int i = 0; i < queries.Count; i++)
        {
            foreach (var (id, score) in answers[i].OrderBy(a => a.Id))
            {
                cols.Add(id);
                values.Add(score);
            }
            rowPtr[i + 1] = cols.Count;
        }
        return new CsrMatrix(queries.Count, _itemCount, rowPtr, [.. cols], [.. values]);
    }

    public void Dispose()
    {
        _reader.Dispose();
        _directory.Dispose();
        _analyzer.Dispose();
    }
}
