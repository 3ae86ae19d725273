using XmrEngine.Inference;
using XmrEngine.IO;
using XmrEngine.Kernels;
using XmrEngine.Sparse;
using XmrEngine.Tests.Support;
using XmrEngine.Training;

namespace XmrEngine.Tests.Integration;

/// <summary>
/// The kernel backend must not change what a user gets: a model trained with each available backend
/// computing its products predicts the same top-k label ids on the Bibtex test split.
/// </summary>
[Category("RealData")]
public class BackendAgreementTests
{
    [Test]
    public void EveryBackendGivesTheSameTopKOnBibtex()
    {
        var train = XmcTextFormat.Read(SharedData.RequireFile("bibtex/train.txt"));
        var test = XmcTextFormat.Read(SharedData.RequireFile("bibtex/test.txt"));
        var x = train.Features.NormalizeRows();
        var tx = test.Features.NormalizeRows();
        var backends = KernelRegistry.Available().Select(k => k.Backend).Where(b => b != KernelBackend.Reference).ToList();
        Assert.That(backends, Does.Contain(KernelBackend.Managed));
        CsrMatrix? expected = null;
        foreach (var backend in backends)
        {
            var model = XLinearTrainer.Train(x, train.Labels, new XLinearTrainOptions { Kernels = KernelRegistry.Get(backend) });
            var predicted = new XLinearPredictor(model).Predict(tx);
            if (expected is null)
            {
                expected = predicted;
                continue;
            }
            for (int r = 0; r < tx.Rows; r++)
                Assert.That(predicted.Row(r).Indices.ToArray(), Is.EqualTo(expected.Row(r).Indices.ToArray()), $"backend {backend}, test row {r}");
        }
        TestContext.Out.WriteLine($"compared backends: {string.Join(", ", backends)}");
    }
}
