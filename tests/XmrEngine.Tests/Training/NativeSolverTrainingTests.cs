using XmrEngine.Inference;
using XmrEngine.IO;
using XmrEngine.Kernels;
using XmrEngine.Models;
using XmrEngine.Sparse;
using XmrEngine.Tests.Support;
using XmrEngine.Training;

namespace XmrEngine.Tests.Training;

/// <summary>
/// XR-Linear training with <see cref="XLinearTrainOptions.Kernels"/> = native (the hinge solvers in
/// libxmr_native) against the managed default: same top-5 predictions on at least 99.5% of test rows.
/// </summary>
public sealed class NativeSolverTrainingTests
{
    private const double RequiredTop5Agreement = 0.995;

    private static void RequireNative()
    {
        if (!NativeBackendProvider.TryLoad(out var reason)) Assert.Ignore($"libxmr_native is not available: {reason}");
    }

    [Test]
    public void SelectionFollowsTheBackendAndTheLoss()
    {
        Assert.Multiple(() =>
        {
            Assert.That(ManagedKernels.Instance.RunsOn(KernelOperation.HingeDualSolve), Is.Not.EqualTo(KernelBackend.Native), "managed");
            Assert.That(ReferenceKernels.Instance.RunsOn(KernelOperation.HingeDualSolve), Is.Not.EqualTo(KernelBackend.Native), "reference");
        });
        if (!NativeBackendProvider.TryLoad(out _))
        {
            Assert.That(() => KernelRegistry.Get(KernelBackend.Native), Throws.InstanceOf<KernelUnavailableException>());
            return;
        }
        var native = KernelRegistry.Get(KernelBackend.Native);
        Assert.Multiple(() =>
        {
            Assert.That(native.RunsOn(KernelOperation.HingeDualSolve), Is.EqualTo(KernelBackend.Native), "native l1/l2-hinge");
            Assert.That(native.RunsOn(KernelOperation.LogisticDualSolve), Is.EqualTo(KernelBackend.Managed), "logistic stays managed");
        });
    }

    [TestCase(SolverType.L2Hinge)]
    [TestCase(SolverType.L1Hinge)]
    [TestCase(SolverType.Logistic)]
    public void SyntheticTrainingAgreesWithManaged(SolverType solver)
    {
        RequireNative();
        var (x, y) = SyntheticData.Make(1500, 400, 120, seed: 3);
        var options = new XLinearTrainOptions { Solver = solver, Indexer = new() { MaxLeafSize = 8 }, Threads = 2 };
        var managed = XLinearTrainer.Train(x, y, options with { Kernels = KernelRegistry.Get(KernelBackend.Managed) });
        var native = XLinearTrainer.Train(x, y, options with { Kernels = KernelRegistry.Get(KernelBackend.Native) });
        var (identical, total) = CompareWeights(managed, native);
        double agreement = Top5Agreement(managed, native, x);
        TestContext.Out.WriteLine($"{solver}: {identical}/{total} weight columns identical, top-5 agreement {agreement:P2}");
        Assert.That(agreement, Is.GreaterThanOrEqualTo(RequiredTop5Agreement));
        // Logistic never leaves managed code, so its models must be the same object-for-object.
        if (solver == SolverType.Logistic) Assert.That(identical, Is.EqualTo(total));
    }

    [Test]
    [Category("RealData")]
    public void BibtexTop5MatchesManaged()
    {
        RequireNative();
        var train = XmcTextFormat.Read(SharedData.RequireFile("bibtex/train.txt"));
        var test = XmcTextFormat.Read(SharedData.RequireFile("bibtex/test.txt"));
        var x = train.Features.NormalizeRows();
        var tx = test.Features.NormalizeRows();
        var managed = XLinearTrainer.Train(x, train.Labels, new XLinearTrainOptions { Kernels = KernelRegistry.Get(KernelBackend.Managed) });
        var native = XLinearTrainer.Train(x, train.Labels, new XLinearTrainOptions { Kernels = KernelRegistry.Get(KernelBackend.Native) });
        var (identical, total) = CompareWeights(managed, native);
        double agreement = Top5Agreement(managed, native, tx);
        TestContext.Out.WriteLine($"bibtex: {identical}/{total} weight columns bit-identical, top-5 identical on {agreement:P3} of {tx.Rows} test rows");
        Assert.That(agreement, Is.GreaterThanOrEqualTo(RequiredTop5Agreement));
    }

    /// <summary>Share of query rows whose top-5 label ids (in score order) are the same under both models.</summary>
    private static double Top5Agreement(XLinearModel a, XLinearModel b, CsrMatrix queries)
    {
        var pa = new XLinearPredictor(a);
        var pb = new XLinearPredictor(b);
        var options = new PredictOptions { TopK = 5 };
        int same = 0;
        for (int i = 0; i < queries.Rows; i++)
        {
            var ra = pa.Predict(queries.Row(i).Indices, queries.Row(i).Values, options).Select(s => s.Label);
            var rb = pb.Predict(queries.Row(i).Indices, queries.Row(i).Values, options).Select(s => s.Label);
            if (ra.SequenceEqual(rb)) same++;
        }
        return queries.Rows == 0 ? 1 : (double)same / queries.Rows;
    }

    /// <summary>Number of weight columns (all levels) whose row ids and values are bit-identical, and the total.</summary>
    private static (int Identical, int Total) CompareWeights(XLinearModel a, XLinearModel b)
    {
        int identical = 0, total = 0;
        for (int t = 0; t < a.Weights.Count; t++)
        {
            var wa = a.Weights[t];
            var wb = b.Weights[t];
            for (int j = 0; j < wa.Cols; j++)
            {
                total++;
                if (wa.Column(j).Indices.SequenceEqual(wb.Column(j).Indices) && wa.Column(j).Values.SequenceEqual(wb.Column(j).Values)) identical++;
            }
        }
        return (identical, total);
    }
}
