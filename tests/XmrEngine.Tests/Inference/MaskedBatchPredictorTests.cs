using XmrEngine.Inference;
using XmrEngine.IO;
using XmrEngine.Kernels;
using XmrEngine.Models;
using XmrEngine.Sparse;
using XmrEngine.Tests.Kernels;
using XmrEngine.Tests.Support;
using XmrEngine.Training;

namespace XmrEngine.Tests.Inference;

/// <summary>
/// Batch prediction through the kernel seam (<see cref="MaskedBatchPredictor"/>) must give the same
/// top-k label ids, and the same scores to float tolerance, as the chunked <see cref="XLinearPredictor"/>
/// for every available backend.
/// </summary>
public class MaskedBatchPredictorTests
{
    private static IEnumerable<KernelBackend> Backends() => KernelRegistry.Available().Select(k => k.Backend);

    /// <summary>Same shape, same label ids per row (exactly), scores within the kernel tolerance.</summary>
    private static void AssertSamePredictions(CsrMatrix expected, CsrMatrix actual, string context)
    {
        Assert.That((actual.Rows, actual.Cols), Is.EqualTo((expected.Rows, expected.Cols)), $"{context}: shape");
        for (int r = 0; r < expected.Rows; r++)
        {
            Assert.That(actual.Row(r).Indices.ToArray(), Is.EqualTo(expected.Row(r).Indices.ToArray()), $"{context}: label ids of row {r}");
            KernelAssert.Close(actual.Row(r).Values, expected.Row(r).Values, $"{context}: scores of row {r}");
        }
    }

    [TestCaseSource(nameof(Backends))]
    public void RandomModels_MatchChunkedPredictor(KernelBackend backend)
    {
        var kernels = KernelRegistry.Get(backend);
        foreach (var (depth, bias, childless, seed) in new[] { (3, 1f, false, 31), (4, 0.5f, true, 32), (2, 0f, false, 33), (1, 1f, false, 34) })
        {
            var model = RandomModels.Model(depth, 300, 0.05, seed, bias: bias, allowChildless: childless);
            var x = RandomSparse.Csr(97, 300, 0.03, seed: seed + 100).NormalizeRows();
            foreach (var options in new[] { new PredictOptions { BeamSize = 3, TopK = 5 }, new PredictOptions { BeamSize = 10, TopK = 2, PostProcessor = PostProcessor.LogSigmoid } })
            {
                var expected = new XLinearPredictor(model).Predict(x, options);
                var actual = new MaskedBatchPredictor(model, kernels).Predict(x, options);
                AssertSamePredictions(expected, actual, $"{backend}, depth {depth}, bias {bias}, beam {options.BeamSize}, {options.PostProcessor}");
            }
        }
    }

    [Test]
    public void BlocksAndThreadCounts_DoNotChangeResults()
    {
        var model = RandomModels.Model(3, 200, 0.05, 41);
        var x = RandomSparse.Csr(70, 200, 0.04, seed: 42).NormalizeRows();
        var whole = new MaskedBatchPredictor(model, ManagedKernels.Instance).Predict(x);
        var blocked = new MaskedBatchPredictor(model, ManagedKernels.Instance) { BlockRows = 16 }.Predict(x, maxThreads: 1);
        Assert.That(blocked.Pointers.ToArray(), Is.EqualTo(whole.Pointers.ToArray()));
        Assert.That(blocked.Indices.ToArray(), Is.EqualTo(whole.Indices.ToArray()));
        KernelAssert.Identical(blocked.Values, whole.Values, "values");
        AssertSamePredictions(new XLinearPredictor(model).Predict(x), whole, "managed");
    }

    [Test]
    public void NarrowEmptyAndZeroRowQueries_AreHandled()
    {
        var model = RandomModels.Model(3, 200, 0.05, 43);
        var predictor = new MaskedBatchPredictor(model, ReferenceKernels.Instance, new PredictOptions { BeamSize = 2, TopK = 3 });
        // Fewer columns than the model has features, and some rows with no features at all.
        var narrow = RandomSparse.Csr(20, 150, 0.02, seed: 44);
        AssertSamePredictions(new XLinearPredictor(model).Predict(narrow, predictor.Defaults), predictor.Predict(narrow), "narrow");
        var empty = predictor.Predict(CsrMatrix.Empty(0, 200));
        Assert.That((empty.Rows, empty.Cols, empty.Nnz), Is.EqualTo((0, model.LabelCount, 0L)));
        var zeros = predictor.Predict(CsrMatrix.Empty(3, 200));
        AssertSamePredictions(new XLinearPredictor(model).Predict(CsrMatrix.Empty(3, 200), predictor.Defaults), zeros, "all-zero rows");
    }

    [Test]
    public void BadArguments_AreRejected()
    {
        var model = RandomModels.Model(2, 200, 0.05, 45);
        var predictor = new MaskedBatchPredictor(model, ManagedKernels.Instance);
        Assert.That(() => predictor.Predict(CsrMatrix.Empty(2, 201)), Throws.ArgumentException.With.Message.Contains("201").And.Message.Contains("200"));
        Assert.That(() => predictor.Predict(CsrMatrix.Empty(2, 200), maxThreads: -1), Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(() => new MaskedBatchPredictor(null!, ManagedKernels.Instance), Throws.ArgumentNullException);
        Assert.That(() => new MaskedBatchPredictor(model, null!), Throws.ArgumentNullException);
        Assert.That(predictor.Depth, Is.EqualTo(2));
        Assert.That(predictor.Kernels, Is.SameAs(ManagedKernels.Instance));
    }

    [Test]
    [Category("RealData")]
    public void Bibtex_EveryBackendMatchesChunkedPredictor()
    {
        var train = XmcTextFormat.Read(SharedData.RequireFile("bibtex/train.txt"));
        var test = XmcTextFormat.Read(SharedData.RequireFile("bibtex/test.txt"));
        XLinearModel model = XLinearTrainer.Train(train.Features.NormalizeRows(), train.Labels, new XLinearTrainOptions());
        var tx = test.Features.NormalizeRows();
        var expected = new XLinearPredictor(model).Predict(tx);
        foreach (var backend in Backends())
            AssertSamePredictions(expected, new MaskedBatchPredictor(model, KernelRegistry.Get(backend)).Predict(tx), $"bibtex, {backend}");
        TestContext.Out.WriteLine($"compared backends: {string.Join(", ", Backends())}");
    }
}
