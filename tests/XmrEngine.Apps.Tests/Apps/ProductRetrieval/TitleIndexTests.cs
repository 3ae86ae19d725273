using XmrEngine.Apps.ProductRetrieval;
using XmrEngine.Inference;
using XmrEngine.Kernels;
using XmrEngine.Sparse;
using XmrEngine.Tests.Support;

namespace XmrEngine.Tests.Apps.ProductRetrieval;

/// <summary>The inverted title index and the hybrid ranker against brute-force references.</summary>
public class TitleIndexTests
{
    /// <summary>Reference: the cosine of the query with every item by a sorted dot product.</summary>
    private static float[] AllCosines(CsrMatrix items, SparseVector query)
    {
        var cos = new float[items.Rows];
        for (int i = 0; i < items.Rows; i++) cos[i] = query.Dot(items.Row(i));
        return cos;
    }

    /// <summary>Reference: every item with a positive cosine, sorted best first (ties by id), cut to n.</summary>
    private static ScoredLabel[] ReferenceTop(CsrMatrix items, SparseVector query, int n) =>
        AllCosines(items, query).Select((c, i) => new ScoredLabel(i, c)).Where(s => s.Score > 0)
            .OrderByDescending(s => s.Score).ThenBy(s => s.Label).Take(n).ToArray();

    /// <summary>Reference: union of tree and title candidates, blended, sorted, cut to topK.</summary>
    private static ScoredLabel[] ReferenceRank(CsrMatrix items, SparseVector query, ScoredLabel[] tree, int titles, float w, int topK)
    {
        var cos = AllCosines(items, query);
        var scored = tree.Select(c => new ScoredLabel(c.Label, (1 - w) * c.Score + w * cos[c.Label])).ToList();
        var inTree = tree.Select(c => c.Label).ToHashSet();
        foreach (var t in ReferenceTop(items, query, titles))
            if (!inTree.Contains(t.Label)) scored.Add(new ScoredLabel(t.Label, w * cos[t.Label]));
        return scored.OrderByDescending(s => s.Score).ThenBy(s => s.Label).Take(topK).ToArray();
    }

    /// <summary>Random non-negative L2-normalised item rows with some empty rows and some exact duplicates (ties).</summary>
    private static CsrMatrix Items(int rows, int cols, int seed)
    {
        var m = RandomSparse.Csr(rows, cols, 0.08, seed, allowEmptyRows: true);
        var abs = new CsrMatrix(m.Rows, m.Cols, m.Pointers.ToArray(), m.Indices.ToArray(), m.Values.ToArray().Select(Math.Abs).ToArray());
        var normalised = SparseOps.NormalizeRows(abs);
        // Rows 1 and 2 duplicate row 0 so equal scores must be ordered by id.
        return SparseOps.VStack(SparseOps.SelectRows(normalised, [0, 0, 0]), normalised);
    }

    private static (int[] Idx, float[] Val) Query(Random rng, int cols, int nnz)
    {
        var idx = Enumerable.Range(0, cols + 5).OrderBy(_ => rng.Next()).Take(nnz).Order().ToArray();
        return (idx, idx.Select(_ => (float)rng.NextDouble()).ToArray());
    }

    [Test]
    public void AccumulatedScoresAndTopNEqualBruteForce()
    {
        var items = Items(200, 60, seed: 3);
        var index = new TitleIndex(items);
        var ws = new TitleIndexWorkspace();
        var rng = new Random(5);
        for (int trial = 0; trial < 200; trial++)
        {
            // Indices beyond the index's width (cols .. cols+4) stand for features no item has.
            var (idx, val) = Query(rng, 60, rng.Next(0, 12));
            var query = new SparseVector(idx.Where(i => i < 60).ToArray(), val.Where((_, k) => idx[k] < 60).ToArray());
            index.Accumulate(new SparseVector(idx, val), ws);
            var expected = AllCosines(items, query);
            for (int i = 0; i < items.Rows; i++) Assert.That(ws.Score(i), Is.EqualTo(expected[i]), $"trial {trial}, item {i}");
            foreach (int n in new[] { 1, 2, 7, 50, items.Rows, items.Rows + 10 })
            {
                var output = new ScoredLabel[Math.Min(n, items.Rows)];
                int found = TitleIndex.SelectTop(ws, n, output);
                Assert.That(output[..found], Is.EqualTo(ReferenceTop(items, query, n)), $"trial {trial}, n {n}");
            }
            ws.Clear();
            Assert.That(Enumerable.Range(0, items.Rows).Select(ws.Score), Has.All.EqualTo(0f));
            Assert.That(ws.Touched.Length, Is.Zero);
        }
    }

    [Test]
    public void EmptyQueryUnknownFeaturesAndEmptyItemsGiveNoCandidates()
    {
        var items = new CsrMatrix(3, 4, [0, 0, 2, 2], [1, 3], [0.6f, 0.8f]);
        var index = new TitleIndex(items);
        var ws = new TitleIndexWorkspace();
        var output = new ScoredLabel[3];
        index.Accumulate(new SparseVector([], []), ws);
        Assert.That(TitleIndex.SelectTop(ws, 3, output), Is.Zero);
        ws.Clear();
        index.Accumulate(new SparseVector([0, 2, 9], [1f, 1f, 1f]), ws);
        Assert.That(TitleIndex.SelectTop(ws, 3, output), Is.Zero, "features 0 and 2 have no postings, 9 is beyond the index");
        ws.Clear();
        index.Accumulate(new SparseVector([3], [1f]), ws);
        Assert.That(TitleIndex.SelectTop(ws, 3, output), Is.EqualTo(1));
        Assert.That(output[0], Is.EqualTo(new ScoredLabel(1, 0.8f)));
        Assert.That(TitleIndex.SelectTop(ws, 0, output), Is.Zero);
    }

    [Test]
    public void OneWorkspaceServesIndexesOfDifferentSizes()
    {
        var ws = new TitleIndexWorkspace();
        var small = Items(10, 8, seed: 1);
        var large = Items(300, 8, seed: 2);
        var q = new SparseVector([0, 3, 5], [0.5f, 0.5f, 0.7f]);
        foreach (var items in new[] { small, large, small })
        {
            new TitleIndex(items).Accumulate(q, ws);
            var output = new ScoredLabel[20];
            int found = TitleIndex.SelectTop(ws, 20, output);
            Assert.That(output[..found], Is.EqualTo(ReferenceTop(items, q, 20)));
            ws.Clear();
        }
    }

    [Test]
    public void HybridRankingEqualsBruteForceUnion()
    {
        var items = Items(150, 40, seed: 9);
        var ranker = new HybridRanker(new TitleIndex(items));
        var ws = new TitleIndexWorkspace();
        var rng = new Random(11);
        for (int trial = 0; trial < 150; trial++)
        {
            var (idx, val) = Query(rng, 40, rng.Next(0, 8));
            idx = idx.Where(i => i < 40).ToArray();
            var query = new SparseVector(idx, val.Take(idx.Length).ToArray());
            var tree = Enumerable.Range(0, items.Rows).OrderBy(_ => rng.Next()).Take(rng.Next(0, 30))
                .Select(i => new ScoredLabel(i, (float)rng.NextDouble())).ToArray();
            foreach (int titles in new[] { 0, 1, 5, 40, 1000 })
            foreach (float w in new[] { 0f, 0.3f, 0.7f, 1f })
            foreach (int topK in new[] { 1, 10, 200 })
            {
                var got = ranker.Rank(query, tree, titles, w, topK, ws);
                Assert.That(got, Is.EqualTo(ReferenceRank(items, query, tree, titles, w, topK)), $"trial {trial}, N {titles}, w {w}, k {topK}");
                Assert.That(ws.Touched.Length, Is.Zero, "the workspace is left cleared");
            }
        }
    }
}
