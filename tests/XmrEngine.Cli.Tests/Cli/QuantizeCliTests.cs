using XmrEngine.IO;
using XmrEngine.Models;
using XmrEngine.Persistence;
using XmrEngine.Evaluation;

namespace XmrEngine.Tests.Cli;

/// <summary>
/// Quantised weights end to end: <c>xmr train --precision</c> and <c>xmr quantize</c> write the same file, predict
/// serves it (mapped and read) with about float32's precision, <c>xmr tree</c> reports the stored weights and the
/// bytes per weight, and the refused uses are named: re-quantising, a backend, a precision outside the list.
/// </summary>
public class QuantizeCliTests
{
    private static CliData Data => CliData.Shared;

    [TestCase("f16")]
    [TestCase("i8")]
    public void TrainWithPrecision_EqualsQuantizeOfTheFloatModel_AndPredictsAboutAsWell(string precision)
    {
        using var dir = CliData.Scratch();
        string trained = dir.File("trained.xmr"), quantized = dir.File("quantized.xmr");
        var train = Xmr.Run("train", "-x", Data.Train, "-m", trained, "--nr-splits", "4", "--max-leaf-size", "8", "--precision", precision, "--threads", "1");
        Assert.That(train.ExitCode, Is.EqualTo(0), train.ToString());
        Assert.That(train.Out, Does.Contain($"({precision})"));
        var run = Xmr.Run("quantize", "-m", Data.Model, "-o", quantized, "--precision", precision);
        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(run.Out, Does.Contain($"as {precision}").And.Contain("bytes a weight"));
        // Training is deterministic and the shared model was trained with the same flags, so both paths give one file.
        Assert.That(File.ReadAllBytes(trained), Is.EqualTo(File.ReadAllBytes(quantized)));
        // A small model: the per-feature index (4 bytes a feature a level) is a large share here, so the ratio is modest.
        Assert.That(new FileInfo(quantized).Length, Is.LessThan(new FileInfo(Data.Model).Length * 0.6));

        foreach (string load in new[] { "mapped", "read" })
        {
            string output = dir.File($"{load}.npz");
            var predict = Xmr.Run("predict", "-x", Data.Test, "-m", quantized, "-o", output, "--load", load);
            Assert.That(predict.ExitCode, Is.EqualTo(0), predict.ToString());
            if (load == "mapped") Assert.That(predict.Out + predict.Err, Does.Contain($"memory-mapped, {precision} weights"));
            Assert.That(Xmr.Run("predict", "-x", Data.Test, "-m", Data.Model, "-o", dir.File("f32.npz")).ExitCode, Is.EqualTo(0));
            double p1 = XmcMetrics.Evaluate(Data.TestLabels, NpzFormat.ReadCsr(output), 5).PrecisionAtK[0];
            double p1Float = XmcMetrics.Evaluate(Data.TestLabels, NpzFormat.ReadCsr(dir.File("f32.npz")), 5).PrecisionAtK[0];
            Assert.That(p1, Is.EqualTo(p1Float).Within(0.02), $"{load}: P@1");
        }
    }

    [Test]
    public void Tree_PrintsStoredWeightsAndBytesPerWeight()
    {
        using var dir = CliData.Scratch();
        string quantized = dir.File("i8.xmr");
        Assert.That(Xmr.Run("quantize", "-m", Data.Model, "-o", quantized, "--precision", "i8").ExitCode, Is.EqualTo(0));
        var model = XLinearModelFile.Load(Data.Model);
        long weights = model.Weights.Sum(w => w.Nnz);
        var f32 = Xmr.Run("tree", "-m", Data.Model);
        Assert.That(f32.ExitCode, Is.EqualTo(0), f32.ToString());
        long bytes = new FileInfo(Data.Model).Length;
        Assert.That(f32.Out, Does.Contain($"stored weights {weights:N0}, precision f32, file {bytes:N0} bytes, {bytes / (double)weights:F2} bytes per weight"));
        var i8 = Xmr.Run("tree", "-m", quantized);
        Assert.That(i8.ExitCode, Is.EqualTo(0), i8.ToString());
        Assert.That(i8.Out, Does.Contain("precision i8").And.Contain("bytes per weight"));
    }

    [Test]
    public void RefusedUses_AreNamed()
    {
        using var dir = CliData.Scratch();
        string f16 = dir.File("f16.xmr");
        Assert.That(Xmr.Run("quantize", "-m", Data.Model, "-o", f16, "--precision", "f16").ExitCode, Is.EqualTo(0));
        Xmr.AssertUserError(Xmr.Run("quantize", "-m", f16, "-o", dir.File("i8.xmr"), "--precision", "i8"), "already quantised (f16)", "quantisation loses information");
        Xmr.AssertUserError(Xmr.Run("predict", "-x", Data.Test, "-m", f16, "-o", dir.File("p.npz"), "--backend", "managed"), "f16-quantised", "float32 weights");
        Assert.That(Xmr.Run("quantize", "-m", Data.Model, "-o", dir.File("x.xmr"), "--precision", "f32").ExitCode, Is.Not.EqualTo(0), "quantize takes f16 or i8");
        Assert.That(Xmr.Run("quantize", "-m", Data.Model, "-o", dir.File("x.xmr")).ExitCode, Is.Not.EqualTo(0), "--precision is required");
        Assert.That(XLinearModelFile.StoredPrecision(XLinearModelFile.Load(f16)), Is.EqualTo(WeightPrecision.Float16));
    }
}
