using XmrEngine.IO;
using XmrEngine.Apps.ProductRetrieval;
using XmrEngine.Indexing;
using XmrEngine.Inference;
using XmrEngine.Kernels;
using XmrEngine.Text;
using XmrEngine.Training;
using XmrEngine.Tests.Support;

namespace XmrEngine.Tests.Apps.ProductRetrieval;

/// <summary>
/// Title-index candidates inside <see cref="ProductRetrievalModel"/>: the fast path against a reference built
/// from public parts (beam candidates + brute-force cosine over every item), save/load, threads, bad input.
/// </summary>
public class TitleCandidateTests
{
    private const int HeldOut = 21, EmptyTitle = 30;
    private static readonly SyntheticCatalog Catalog = new(heldOut: [HeldOut, EmptyTitle]);
    private static readonly string[] Items = Catalog.Items.Select((t, i) => i == EmptyTitle ? "" : t).ToArray();

    private static readonly ProductRetrievalModel Model = ProductRetrievalModel.Train(Catalog.Queries, Items, new ProductRetrievalOptions
    {
        ItemEmbedding = ItemEmbedding.PifaText,
        Training = new XLinearTrainOptions { Threads = 2, Indexer = new HierarchicalKMeansOptions { NrSplits = 2, MaxLeafSize = 4 } },
        Prediction = new PredictOptions { BeamSize = 1, TopK = 10 },
        TextWeight = 0.7f,
        TitleCandidates = 5,
    });

    /// <summary>Reference ranking: every leaf item the beam reaches and the N best items by cosine, blended.</summary>
    private static (int Id, float Score)[] Reference(string query, PredictOptions options, float w, int titles)
    {
        var ws = new TfidfWorkspace();
        var row = Model.Vectorizer.Transform(query, ws);
        var idx = row.Indices.ToArray();
        var val = row.Values.ToArray();
        var itemRows = Model.Vectorizer.Transform(Items);
        var cos = Enumerable.Range(0, Items.Length)
            .Select(i => new XmrEngine.Sparse.SparseVector(idx, val).Dot(itemRows.Row(i))).ToArray();
        // The beam's candidates: every item of the leaf clusters reached (what the model's re-ranking uses).
        var leaves = Model.Model.Chain.Levels[^1];
        int widest = Enumerable.Range(0, leaves.Rows).SelectMany(l => leaves.Row(l).Indices.ToArray()).GroupBy(p => p).Max(g => g.Count());
        var tree = Model.Predictor.Predict(idx, val, options with { TopK = Math.Min(Items.Length, options.BeamSize * widest) });
        var scored = tree.Select(c => (c.Label, (1 - w) * c.Score + w * cos[c.Label])).ToList();
        var inTree = tree.Select(c => c.Label).ToHashSet();
        var top = Enumerable.Range(0, Items.Length).Where(i => cos[i] > 0).OrderByDescending(i => cos[i]).ThenBy(i => i).Take(titles);
        foreach (int i in top)
            if (!inTree.Contains(i)) scored.Add((i, w * cos[i]));
        return scored.OrderByDescending(s => s.Item2).ThenBy(s => s.Label).Take(options.TopK).ToArray();
    }

    private static IEnumerable<string> Probes() =>
        Catalog.Queries.Take(30).Select(q => q.Text)
            .Concat(Items.Take(12))
            .Concat(["", "   ", "zzzz qqqq unknown words", Catalog.Model[HeldOut], $"{Catalog.Brand[HeldOut]} {Catalog.Model[HeldOut]}", Catalog.CategoryWords[3]]);

    [Test]
    public void PredictionsEqualTheBruteForceReference()
    {
        foreach (int titles in new[] { 1, 5, 64, 500 })
        foreach (float w in new[] { 0.2f, 0.7f, 1f })
        foreach (var q in Probes())
        {
            var options = new PredictOptions { BeamSize = 1, TopK = 8 };
            var got = Model.Predict(q, options, w, titles).Select(m => (m.Id, m.Score)).ToArray();
            Assert.That(got, Is.EqualTo(Reference(q, options, w, titles)), $"'{q}', N {titles}, w {w}");
        }
    }

    /// <summary>
    /// With N at least top-k (and the default non-negative l3-hinge tree scores) the result is the exact top-k over
    /// every item of <c>(1 - w) x tree score + w x cosine</c>, tree score 0 where the beam did not reach.
    /// </summary>
    [Test]
    public void TitleCandidatesAtLeastTopKGiveTheExactBlendedTopKOverAllItems()
    {
        var options = new PredictOptions { BeamSize = 1, TopK = 6 };
        foreach (float w in new[] { 0.3f, 0.9f })
        foreach (var q in Probes())
        {
            var all = Reference(q, options with { TopK = Items.Length }, w, Items.Length);
            var exact = all.Take(options.TopK).ToArray();
            Assert.That(Model.Predict(q, options, w, options.TopK).Select(m => (m.Id, m.Score)).ToArray(), Is.EqualTo(exact), q);
        }
    }

    [Test]
    public void FindsAnItemNoQueryMentionsThatTheNarrowBeamMisses()
    {
        string query = Catalog.Model[HeldOut];
        var plain = Model.Predict(query, new PredictOptions { BeamSize = 1, TopK = 10 }, 0.7f, 0);
        var hybrid = Model.Predict(query, new PredictOptions { BeamSize = 1, TopK = 10 }, 0.7f, 5);
        Assert.That(hybrid[0].Id, Is.EqualTo(HeldOut));
        Assert.That(hybrid[0].Text, Is.EqualTo(Items[HeldOut]));
        int plainRank = Array.FindIndex(plain, m => m.Id == HeldOut);
        Assert.That(plainRank, Is.Not.EqualTo(0), "with beam 1 the tree alone does not put the held-out item first (the premise of this test)");
    }

    [Test]
    public void EmptyTitleItemIsNeverATitleCandidate()
    {
        foreach (var q in Probes())
        {
            var treeOnly = Model.Predict(q, new PredictOptions { BeamSize = 1, TopK = 64 }, 1f, 0).Select(m => m.Id).ToHashSet();
            var hybrid = Model.Predict(q, new PredictOptions { BeamSize = 1, TopK = 64 }, 1f, 64);
            foreach (var m in hybrid.Where(m => m.Id == EmptyTitle))
                Assert.That(treeOnly, Does.Contain(EmptyTitle), $"item {EmptyTitle} has no title words, so only the beam can bring it ('{q}')");
        }
    }

    [Test]
    public void DefaultsComeFromTheModelAndZeroWeightIgnoresTitles()
    {
        Assert.That(Model.Info.TitleCandidates, Is.EqualTo(5));
        foreach (var q in Probes())
        {
            Assert.That(Model.Predict(q), Is.EqualTo(Model.Predict(q, Model.Info.Prediction, 0.7f, 5)), q);
            Assert.That(Model.Predict(q, null, 0f, 50), Is.EqualTo(Model.Predict(q, null, 0f, 0)), q);
        }
    }

    [Test]
    public void BatchParallelAndSaveLoadAgreeWithSingleQueries()
    {
        var texts = Probes().ToArray();
        var options = new PredictOptions { BeamSize = 1, TopK = 6 };
        var single = texts.Select(t => Model.Predict(t, options, 0.6f, 7)).ToArray();
        var batch = Model.PredictBatch(texts, options, threads: 3, textWeight: 0.6f, titleCandidates: 7);
        for (int i = 0; i < texts.Length; i++)
        {
            var expected = single[i].OrderBy(m => m.Id).ToArray();
            Assert.That(batch.Row(i).Indices.ToArray(), Is.EqualTo(expected.Select(m => m.Id).ToArray()), texts[i]);
            Assert.That(batch.Row(i).Values.ToArray(), Is.EqualTo(expected.Select(m => m.Score).ToArray()), texts[i]);
        }
        var parallel = new ProductMatch[texts.Length][];
        Parallel.For(0, 4 * texts.Length, new ParallelOptions { MaxDegreeOfParallelism = 6 },
            i => parallel[i % texts.Length] = Model.Predict(texts[i % texts.Length], options, 0.6f, 7));
        for (int i = 0; i < texts.Length; i++) Assert.That(parallel[i], Is.EqualTo(single[i]));

        using var tmp = new TempDir();
        Model.Save(tmp.File("m"));
        var loaded = ProductRetrievalModel.Load(tmp.File("m"));
        Assert.That(loaded.Info, Is.EqualTo(Model.Info));
        for (int i = 0; i < texts.Length; i++) Assert.That(loaded.Predict(texts[i], options, 0.6f, 7), Is.EqualTo(single[i]));
    }

    [Test]
    public void ManifestWithoutTitleKeysLoadsAsBefore()
    {
        using var tmp = new TempDir();
        string dir = tmp.File("m");
        Model.Save(dir);
        string manifest = Path.Combine(XmrEngine.IO.VersionedDirectory.Resolve(dir, "manifest.json"), "manifest.json");
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(manifest))!.AsObject();
        Assert.That(json.Remove("title_candidates"), Is.True);
        File.WriteAllText(manifest, json.ToJsonString());
        Assert.That(json.Remove("title_idf_once"), Is.True);
        File.WriteAllText(manifest, json.ToJsonString());
        Assert.That(ProductRetrievalModel.Load(dir).Info.TitleCandidates, Is.Zero);
        Assert.That(ProductRetrievalModel.Load(dir).Info.TitleIdfOnce, Is.False);

        json["title_candidates"] = -3;
        File.WriteAllText(manifest, json.ToJsonString());
        var ex = Assert.Throws<XmrDataException>(() => ProductRetrievalModel.Load(dir))!;
        Assert.That(ex.Message, Does.Contain("title_candidates"));
        Assert.That(ex.Field, Is.EqualTo("title_candidates"));
        Assert.That(ex.FilePath, Is.EqualTo(manifest));
    }

    [Test]
    public void NegativeCountsAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Model.Predict("x", null, 0.5f, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Model.PredictBatch(["x"], null, 1, 0.5f, -1));
        var ex = Assert.Throws<ArgumentException>(() => ProductRetrievalModel.Train(Catalog.Queries, Items, new ProductRetrievalOptions { TitleCandidates = -1 }))!;
        Assert.That(ex.Message, Does.Contain("TitleCandidates"));
    }
}
