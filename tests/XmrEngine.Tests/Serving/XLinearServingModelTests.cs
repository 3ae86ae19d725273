using XmrEngine.Indexing;
using XmrEngine.Inference;
using XmrEngine.IO;
using XmrEngine.Models;
using XmrEngine.Persistence;
using XmrEngine.Serving;
using XmrEngine.Sharding;
using XmrEngine.Sparse;
using XmrEngine.Tests.Support;
using XmrEngine.Training;

namespace XmrEngine.Tests.Serving;

/// <summary>
/// The XR-Linear front door: raw queries are prepared by the rule the model file recorded, checked, and searched, the
/// same way whatever shape the model is stored in and whatever method is called.
/// </summary>
public sealed class XLinearServingModelTests
{
    private const int Features = 200;
    private static readonly Lazy<XLinearModel> Model = new(() =>
    {
        var x = RandomSparse.Csr(300, Features, 0.06, seed: 1, allowEmptyRows: false).NormalizeRows();
        var y = RandomSparse.Csr(300, 48, 0.05, seed: 2, allowEmptyRows: false);
        return XLinearTrainer.Train(x, y, new XLinearTrainOptions { Indexer = new HierarchicalKMeansOptions { NrSplits = 4, MaxLeafSize = 4 } });
    });

    [Test]
    public void ARawRow_IsScoredAsTheModelsPreparedRow_InAnyIdOrder()
    {
        using var dir = new TempDir();
        string path = dir.File("m.xmr");
        XLinearModelFile.Save(path, Model.Value, ModelMetadata.Default with { NormalizeRows = true });
        using var model = XLinearServingModel.Open(path);
        using var low = XLinearModelFile.OpenMapped(path);
        int[] ids = [150, 3, 77, 19];
        float[] values = [2f, 1f, 5f, 0.5f];
        var sorted = (int[])ids.Clone();
        var prepared = (float[])values.Clone();
        Array.Sort(sorted, prepared);
        SparseOps.NormalizeInPlace(prepared, RowNorm.L2);

        var got = model.Predict(ids, values, model.Options(topK: 5));
        Assert.That(got, Is.EqualTo(low.Predict(sorted, prepared, low.Defaults with { TopK = 5 })));
        Assert.That(got, Is.Not.EqualTo(low.Predict(sorted, SortedValues(ids, values), low.Defaults with { TopK = 5 })),
            "the raw values score differently, so the preparation matters");
        Assert.That(model.Input.NormalizeRows, Is.True);
    }

    [Test]
    public void AModelTrainedOnRowsAsGiven_ScoresRowsAsGiven()
    {
        using var dir = new TempDir();
        string path = dir.File("raw.xmr");
        XLinearModelFile.Save(path, Model.Value, ModelMetadata.Default with { NormalizeRows = false });
        using var model = XLinearServingModel.Open(path);
        using var low = XLinearModelFile.OpenMapped(path);
        Assert.That(model.Input.NormalizeRows, Is.False);
        Assert.That(model.Predict([3, 9], [4f, 2f]), Is.EqualTo(low.Predict([3, 9], [4f, 2f])));
    }

    [Test]
    public void SingleBatchAndAsyncCalls_GiveTheSameAnswers_ForEveryShapeOfTheModel()
    {
        using var dir = new TempDir();
        string file = dir.File("m.xmr");
        XLinearModelFile.Save(file, Model.Value);
        string sharded = dir.File("sharded");
        ModelSharder.Write(Model.Value, ModelMetadata.Default, 1, 3, sharded);
        string pecos = dir.File("pecos");
        PecosLayout.Write(pecos, Model.Value, beam: 10, topK: 10, "l3-hinge", (p, m) => NpzFormat.Write(p, m));
        var raw = RandomSparse.Csr(40, Features, 0.05, seed: 9);
        for (int r = 0; r < raw.Rows; r++)
        {
            // Scale rows differently: the model's rule normalises them, so the answers must not depend on it.
            var values = raw.ValuesArray.AsSpan((int)raw.RowPtrArray[r], raw.RowLength(r));
            for (int i = 0; i < values.Length; i++) values[i] *= 1 + r;
        }

        ScoredLabel[][]? reference = null;
        foreach (var (path, options) in new[]
                 {
                     (file, ModelOpenOptions.Default), (file, new ModelOpenOptions { Mapped = false }),
                     (file, new ModelOpenOptions { Backend = XmrEngine.Kernels.ReferenceKernels.Instance }), (sharded, ModelOpenOptions.Default), (pecos, ModelOpenOptions.Default),
                 })
        {
            using var model = XLinearServingModel.Open(path, options);
            var o = model.Options(topK: 10, beamSize: 10);
            var single = Enumerable.Range(0, raw.Rows).Select(r => model.Predict(raw.Row(r).Indices, raw.Row(r).Values, o)).ToArray();
            var rows = Enumerable.Range(0, raw.Rows).Select(r => (raw.Row(r).Indices.ToArray(), raw.Row(r).Values.ToArray())).ToArray();
            var batch = model.PredictAsync(rows, o).GetAwaiter().GetResult();
            var matrix = RankedScores.Of(model.Predict(raw, o, 1));
            string shape = $"{Path.GetFileName(path)} ({model.OpenedAs})";
            for (int r = 0; r < raw.Rows; r++)
            {
                Assert.That(batch[r], Is.EqualTo(single[r]), $"{shape}: row {r}, batch vs single");
                Assert.That(matrix[r], Is.EqualTo(single[r].Select(l => (l.Label, l.Score)).ToArray()), $"{shape}: row {r}, matrix vs single");
            }
            reference ??= single;
            for (int r = 0; r < raw.Rows; r++)
                Assert.That(single[r].Select(l => l.Label), Is.EqualTo(reference[r].Select(l => l.Label)), $"{shape}: row {r}, same labels as the mapped file");
        }
    }

    [Test]
    public void MalformedQueries_AreRefusedNamingTheField()
    {
        using var model = new XLinearServingModel(new XLinearPredictor(Model.Value));
        Assert.That(() => model.Predict([1, Features], [1f, 1f]), Throws.InstanceOf<InvalidQueryException>().With.Property("Field").EqualTo("indices[1]"));
        Assert.That(() => model.Predict([-1], [1f]), Throws.InstanceOf<InvalidQueryException>().With.Property("Field").EqualTo("indices[0]"));
        Assert.That(() => model.Predict([4, 2, 4], [1f, 1f, 1f]), Throws.InstanceOf<InvalidQueryException>().With.Property("Field").EqualTo("indices"));
        Assert.That(() => model.Predict([1, 2], [1f, float.NaN]), Throws.InstanceOf<InvalidQueryException>().With.Property("Field").EqualTo("values[1]"));
        Assert.That(() => model.Predict([1, 2], [1f]), Throws.InstanceOf<InvalidQueryException>().With.Property("Field").EqualTo("values"));
        var rows = new[] { (new[] { 1 }, new[] { 1f }), (new[] { 2, 9999 }, new[] { 1f, 1f }) };
        Assert.That(() => model.PredictAsync(rows).GetAwaiter().GetResult(),
            Throws.InstanceOf<InvalidQueryException>().With.Property("Field").EqualTo("rows[1].indices[1]"));
        Assert.That(() => model.Predict(new CsrMatrix(1, Features + 1, [0, 1], [Features], [1f])),
            Throws.InstanceOf<InvalidQueryException>().With.Property("Field").EqualTo("features"));
        Assert.That(model.Predict([], []), Is.Not.Null, "an empty query is a query");
    }

    [Test]
    public void Options_AreCappedAtWhatTheModelHas_AndRefuseNonPositiveCounts()
    {
        using var model = new XLinearServingModel(new XLinearPredictor(Model.Value));
        var capped = model.Options(topK: 1_000_000, beamSize: 1_000_000);
        Assert.That(capped.TopK, Is.EqualTo(model.LabelCount));
        Assert.That(capped.BeamSize, Is.EqualTo(model.WidestLevel));
        Assert.That(() => model.Options(topK: 0), Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(() => model.Options(beamSize: -1), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void ConcurrentQueries_GetTheSequentialAnswers()
    {
        using var dir = new TempDir();
        string path = dir.File("m.xmr");
        XLinearModelFile.Save(path, Model.Value);
        using var model = XLinearServingModel.Open(path);
        var raw = RandomSparse.Csr(200, Features, 0.05, seed: 4);
        var expected = Enumerable.Range(0, raw.Rows).Select(r => model.Predict(raw.Row(r).Indices, raw.Row(r).Values)).ToArray();
        int mismatches = 0;
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, t =>
        {
            for (int pass = 0; pass < 5; pass++)
                for (int r = (t * 13) % raw.Rows, n = 0; n < raw.Rows; n++, r = (r + 1) % raw.Rows)
                    if (!model.Predict(raw.Row(r).Indices, raw.Row(r).Values).SequenceEqual(expected[r])) Interlocked.Increment(ref mismatches);
        });
        Assert.That(mismatches, Is.Zero);
    }

    [Test]
    public void ModelFormats_RecogniseEachShape_AndNameWhatTheyLookFor()
    {
        using var dir = new TempDir();
        XLinearModelFile.Save(dir.File("m.xmr"), Model.Value);
        ModelSharder.Write(Model.Value, ModelMetadata.Default, 1, 2, dir.File("sharded"));
        Directory.CreateDirectory(dir.File("empty"));
        Assert.That(ModelFormats.Core.Detect(dir.File("m.xmr")), Is.SameAs(XLinearModelFormat.Instance));
        Assert.That(ModelFormats.Core.Detect(dir.File("sharded")), Is.SameAs(XLinearModelFormat.Instance));
        Assert.That(ModelFormats.Core.Detect(dir.File("empty")), Is.Null);
        Assert.That(ModelFormats.Core.Detect(dir.File("nothing-here")), Is.Null);
        Assert.That(() => ModelFormats.Core.Open(dir.File("empty")), Throws.InstanceOf<IOException>().With.Message.Contain("holds no model").And.Message.Contain("param.json"));
        using var opened = ModelFormats.Core.Open(dir.File("sharded"));
        Assert.That(opened.Kind, Is.EqualTo(XLinearServingModel.KindName));
        Assert.That(((XLinearServingModel)opened).IsSharded, Is.True);
        Assert.That(() => ModelFormats.Core.With(XLinearModelFormat.Instance), Throws.ArgumentException);
    }

    [Test]
    public void Versions_NameTheFilesContent()
    {
        using var dir = new TempDir();
        XLinearModelFile.Save(dir.File("a.xmr"), Model.Value);
        File.Copy(dir.File("a.xmr"), dir.File("b.xmr"));
        using var a = XLinearServingModel.Open(dir.File("a.xmr"));
        using var b = XLinearServingModel.Open(dir.File("b.xmr"));
        Assert.That(a.Version, Does.StartWith("xxh64:"));
        Assert.That(b.Version, Is.EqualTo(a.Version), "same bytes, same version");
    }

    private static float[] SortedValues(int[] ids, float[] values)
    {
        var i = (int[])ids.Clone();
        var v = (float[])values.Clone();
        Array.Sort(i, v);
        return v;
    }
}
