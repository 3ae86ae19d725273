using XmrEngine.Evaluation;
using XmrEngine.IO;
using XmrEngine.Kernels;
using XmrEngine.Tests.Support;

namespace XmrEngine.Tests.Cli;

/// <summary>
/// <c>XMR_SIMD</c> in real child processes (the width is chosen once per process): every width this CPU has
/// trains and predicts the same data to the same quality, and a bad value stops the command with one error line.
/// </summary>
public class SimdWidthCliTests
{
    private static CliData Data => CliData.Shared;

    private static int RunXmr(IReadOnlyDictionary<string, string?> environment, params string[] args) =>
        XmrCli.WaitForExit(XmrCli.Start(args, environment));

    [Test]
    public void EveryWidthTrainsAndPredictsToTheSameQuality()
    {
        using var dir = new TempDir();
        var precision = new Dictionary<SimdWidth, double>();
        var top1 = new Dictionary<SimdWidth, int[]>();
        foreach (var width in SimdSelection.Available)
        {
            var env = new Dictionary<string, string?> { ["XMR_SIMD"] = width.ToName() };
            string model = dir.File($"{width.ToName()}.xmr"), scores = dir.File($"{width.ToName()}.npz");
            Assert.That(RunXmr(env, "train", "-x", Data.Train, "-m", model, "--threads", "2"), Is.EqualTo(0), $"train at {width}");
            Assert.That(RunXmr(env, "predict", "-x", Data.Test, "-m", model, "-o", scores), Is.EqualTo(0), $"predict at {width}");
            var predicted = NpzFormat.ReadCsr(scores);
            precision[width] = XmcMetrics.Evaluate(Data.TestLabels, predicted, 1).PrecisionAtK[0];
            top1[width] = Enumerable.Range(0, predicted.Rows).Select(r =>
            {
                var row = predicted.Row(r);
                int best = -1;
                float bestScore = float.NegativeInfinity;
                for (int k = 0; k < row.Length; k++)
                    if (row.Values[k] > bestScore) (best, bestScore) = (row.Indices[k], row.Values[k]);
                return best;
            }).ToArray();
        }
        foreach (var width in SimdSelection.Available)
        {
            // Different widths sum dot products in different orders: last-bit differences only, so the same quality
            // and nearly always the same best label.
            Assert.That(precision[width], Is.EqualTo(precision[SimdWidth.Avx2]).Within(0.02), $"P@1 at {width}");
            int agree = top1[width].Zip(top1[SimdWidth.Avx2]).Count(p => p.First == p.Second);
            Assert.That(agree, Is.GreaterThanOrEqualTo(top1[width].Length * 95 / 100), $"top-1 agreement at {width}");
        }
    }

    [Test]
    public void AtEveryWidthTheNativeSolverTrainsTheManagedModelBitForBit()
    {
        if (!KernelRegistry.IsAvailable(KernelBackend.Native, out string why))
        {
            if (Environment.GetEnvironmentVariable("CI") == "true") Assert.Fail($"the native library is required in CI: {why}");
            Assert.Ignore(why);
        }
        using var dir = new TempDir();
        foreach (var width in SimdSelection.Available)
        {
            var env = new Dictionary<string, string?> { ["XMR_SIMD"] = width.ToName() };
            string managed = dir.File($"{width.ToName()}-managed.xmr"), native = dir.File($"{width.ToName()}-native.xmr");
            Assert.That(RunXmr(env, "train", "-x", Data.Train, "-m", managed, "--threads", "2", "--backend", "managed"), Is.EqualTo(0));
            Assert.That(RunXmr(env, "train", "-x", Data.Train, "-m", native, "--threads", "2", "--backend", "native"), Is.EqualTo(0));
            // libxmr_native takes the width from the managed side (xmr_set_simd_bits) and sums in .NET's order.
            Assert.That(File.ReadAllBytes(native), Is.EqualTo(File.ReadAllBytes(managed)), $"models at {width}");
            // Batch prediction through the backends' gather-dots at this width: the same quality.
            var p = new Dictionary<string, double>();
            foreach (string backend in new[] { "managed", "native" })
            {
                string scores = dir.File($"{width.ToName()}-{backend}.npz");
                Assert.That(RunXmr(env, "predict", "-x", Data.Test, "-m", managed, "-o", scores, "--backend", backend), Is.EqualTo(0));
                p[backend] = XmcMetrics.Evaluate(Data.TestLabels, NpzFormat.ReadCsr(scores), 1).PrecisionAtK[0];
            }
            Assert.That(p["native"], Is.EqualTo(p["managed"]).Within(0.02), $"P@1 at {width}");
        }
    }

    [TestCase("sse4")]
    [TestCase("avx-512")]
    public void ABadXmrSimdStopsTheCommand(string value)
    {
        var env = new Dictionary<string, string?> { ["XMR_SIMD"] = value };
        Assert.That(RunXmr(env, "stats", "-i", Data.Train), Is.EqualTo(2));
        Assert.That(RunXmr(env, "info"), Is.EqualTo(0), "info shows the error instead of failing");
    }
}
