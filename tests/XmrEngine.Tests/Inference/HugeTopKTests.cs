using XmrEngine.Inference;
using XmrEngine.Kernels;
using XmrEngine.Sparse;

namespace XmrEngine.Tests.Inference;

/// <summary>A top-k or beam larger than the model (up to int.MaxValue) must behave as the label count, on every prediction path.</summary>
public class HugeTopKTests
{
    private static readonly PredictOptions Huge = new() { TopK = int.MaxValue, BeamSize = int.MaxValue };

    [Test]
    public void CappedToLowersOnlyWhatExceedsTheLabelCount()
    {
        var o = new PredictOptions { TopK = 50, BeamSize = 5 };
        Assert.That(o.CappedTo(100), Is.SameAs(o));
        Assert.That(o.CappedTo(20), Is.EqualTo(o with { TopK = 20 }));
        Assert.That(Huge.CappedTo(7), Is.EqualTo(Huge with { TopK = 7, BeamSize = 7 }));
        Assert.That(Huge.CappedTo(0).TopK, Is.EqualTo(1));
    }

    [Test]
    public void EveryPredictorReturnsAllReachableLabelsForAHugeTopK()
    {
        var model = RandomModels.Model(3, 200, 0.05, seed: 4);
        var predictor = new XLinearPredictor(model);
        var (idx, val) = RandomModels.Query(200, 20, new Random(1));
        var all = predictor.Predict(idx, val, new PredictOptions { TopK = model.LabelCount, BeamSize = model.LabelCount });
        var single = predictor.Predict(idx, val, Huge);
        Assert.That(single.Select(s => s.Label), Is.EqualTo(all.Select(s => s.Label)));

        var span = new ScoredLabel[model.LabelCount];
        Assert.That(predictor.Predict(idx, val, span, Huge), Is.EqualTo(all.Length), "a span of LabelCount suffices");

        var x = new CsrMatrix(1, 200, [0, idx.Length], idx, val);
        var batch = predictor.Predict(x, Huge, 1);
        var masked = new MaskedBatchPredictor(model, ManagedKernels.Instance).Predict(x, Huge, 1);
        Assert.That(batch.Row(0).Indices.ToArray(), Is.EqualTo(all.Select(s => s.Label).Order().ToArray()));
        Assert.That(masked.Row(0).Indices.ToArray(), Is.EqualTo(batch.Row(0).Indices.ToArray()));
    }

    [Test]
    public void ResultBuffersThatCannotExistFailWithTheSettingNamed()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => ResultSize.Check(100_000, 1_000_000, 16, "TopK"));
        Assert.That(e!.ParamName, Is.EqualTo("TopK"));
        Assert.That(e.Message, Does.Contain("TopK 1000000 for 100,000 rows"));
        long available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        int rows = (int)Math.Min(int.MaxValue, available / 16 / 1000 + 1);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => ResultSize.Check(rows, 1000, 16, "BeamSize"));
        Assert.That(e!.Message, Does.Contain("GiB").Or.Contain("more than one buffer"));
        Assert.That(ResultSize.Check(3, 4, 16, "TopK"), Is.EqualTo(12));
        Assert.That(ResultSize.Check(0, int.MaxValue, 16, "TopK"), Is.EqualTo(0));
    }
}
