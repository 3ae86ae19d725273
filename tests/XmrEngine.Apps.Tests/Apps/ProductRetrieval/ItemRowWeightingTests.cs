using XmrEngine.Apps.ProductRetrieval;
using XmrEngine.Indexing;
using XmrEngine.Inference;
using XmrEngine.Kernels;
using XmrEngine.Text;
using XmrEngine.Training;
using XmrEngine.Tests.Support;

namespace XmrEngine.Tests.Apps.ProductRetrieval;

/// <summary>Item rows with idf counted once, against a term-by-term reference, and inside the model.</summary>
public class ItemRowWeightingTests
{
    private static readonly string[] Texts =
    [
        "cordless drill kit", "drill bits for wood", "wood screws", "", "paint roller cover", "roller", "drill drill drill",
        "xylophone", "tab\there", "paint",
    ];

    private static readonly CombinedTfidfOptions Options = new()
    {
        Bases =
        [
            new TfidfOptions { MaxNgram = 2, Stemmer = WordStemmer.Porter },
            new TfidfOptions { Analyzer = TextAnalyzer.CharWordBounded, MinNgram = 3, MaxNgram = 3, UseIdf = false },
            new TfidfOptions { IdfFormula = IdfFormula.Smooth, SublinearTf = true },
        ],
    };

    [Test]
    public void DividesEveryWeightByItsIdfAndRenormalises()
    {
        var v = CombinedTfidfVectorizer.Fit(Texts, Options, 1);
        var rows = v.Transform(Texts, 1);
        var once = ItemRowWeighting.IdfOnce(rows, v);
        Assert.That(once.Rows, Is.EqualTo(rows.Rows));
        Assert.That(once.Cols, Is.EqualTo(rows.Cols));
        for (int r = 0; r < rows.Rows; r++)
        {
            var cols = rows.Row(r).Indices.ToArray();
            Assert.That(once.Row(r).Indices.ToArray(), Is.EqualTo(cols), "the same features, in the same order");
            var expected = new double[cols.Length];
            for (int k = 0; k < cols.Length; k++)
            {
                int b = Enumerable.Range(0, v.Bases.Count).Last(i => v.FeatureOffset(i) <= cols[k]);
                var source = v.Bases[b];
                double idf = source.Options.UseIdf ? source.Idf[cols[k] - v.FeatureOffset(b)] : 1.0;
                expected[k] = rows.Row(r).Values[k] / idf;
            }
            double norm = Math.Sqrt(expected.Sum(x => x * x));
            for (int k = 0; k < cols.Length; k++)
                Assert.That(once.Row(r).Values[k], Is.EqualTo(expected[k] / norm).Within(1e-6), $"row {r}, feature {cols[k]}");
            if (cols.Length > 0) Assert.That(once.Row(r).Values.ToArray().Sum(x => (double)x * x), Is.EqualTo(1.0).Within(1e-5));
        }
        Assert.That(once.Row(3).Indices.Length, Is.Zero, "an empty title stays empty");
        Assert.That(rows.Row(0).Values.ToArray(), Is.EqualTo(v.Transform(Texts, 1).Row(0).Values.ToArray()), "the input rows are not modified");
    }

    [Test]
    public void ModelWithIdfOnceRanksByTheReweightedCosineAndKeepsTheSettingOnDisk()
    {
        var catalog = new SyntheticCatalog(heldOut: [9]);
        var model = ProductRetrievalModel.Train(catalog.Queries, catalog.Items, new ProductRetrievalOptions
        {
            Training = new XLinearTrainOptions { Threads = 1, Indexer = new HierarchicalKMeansOptions { NrSplits = 2, MaxLeafSize = 8 } },
            Prediction = new PredictOptions { BeamSize = 1, TopK = 5 },
            TextWeight = 1f,
            TitleCandidates = 5,
            TitleIdfOnce = true,
        });
        Assert.That(model.Info.TitleIdfOnce, Is.True);
        var itemRows = ItemRowWeighting.IdfOnce(model.Vectorizer.Transform(catalog.Items), model.Vectorizer);
        var ws = new TfidfWorkspace();
        foreach (var q in catalog.Queries.Take(25).Select(q => q.Text).Append(catalog.Model[9]))
        {
            // With w = 1 and N = top-k the answer is the exact top-k of the reweighted cosine over all items (followed,
            // when fewer items share a term with the query, by beam items scoring 0).
            var row = model.Vectorizer.Transform(q, ws);
            var cos = new float[catalog.Items.Length];
            for (int i = 0; i < cos.Length; i++) cos[i] = row.Dot(itemRows.Row(i));
            var expected = Enumerable.Range(0, cos.Length).Where(i => cos[i] > 0).OrderByDescending(i => cos[i]).ThenBy(i => i).Take(5)
                .Select(i => (i, cos[i])).ToArray();
            var got = model.Predict(q);
            Assert.That(got.Where(m => m.Score > 0).Select(m => (m.Id, m.Score)).ToArray(), Is.EqualTo(expected), q);
            Assert.That(got.Where(m => m.Score <= 0).All(m => m.Score == 0), Is.True, q);
        }

        using var tmp = new TempDir();
        model.Save(tmp.File("m"));
        var loaded = ProductRetrievalModel.Load(tmp.File("m"));
        Assert.That(loaded.Info, Is.EqualTo(model.Info));
        foreach (var q in catalog.Queries.Take(10)) Assert.That(loaded.Predict(q.Text), Is.EqualTo(model.Predict(q.Text)));
    }
}
