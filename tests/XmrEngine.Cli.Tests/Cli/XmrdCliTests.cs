using XmrEngine.IO;

namespace XmrEngine.Tests.Cli;

/// <summary>The .xmrd binary data set through the command line: convert both ways, and every reading verb.</summary>
public class XmrdCliTests
{
    private static CliData Data => CliData.Shared;

    [Test]
    public void TrainingFromAConvertedXmrdGivesAByteIdenticalModel()
    {
        using var dir = CliData.Scratch();
        string xmrd = dir.File("train.xmrd"), fromText = dir.File("text.xmr"), fromBinary = dir.File("binary.xmr");
        Assert.That(Xmr.Run("convert", "-i", Data.Train, "-o", xmrd).ExitCode, Is.EqualTo(0));
        string[] settings = ["--nr-splits", "4", "--max-leaf-size", "8", "--threads", "1"];
        var a = Xmr.Run(["train", "-x", Data.Train, "-m", fromText, .. settings]);
        var b = Xmr.Run(["train", "-x", xmrd, "-m", fromBinary, .. settings]);
        Assert.That(a.ExitCode, Is.EqualTo(0), a.ToString());
        Assert.That(b.ExitCode, Is.EqualTo(0), b.ToString());
        Assert.That(File.ReadAllBytes(fromBinary), Is.EqualTo(File.ReadAllBytes(fromText)));
    }

    [Test]
    public void ConvertRoundTripsTextThroughXmrdAndPredictEvaluateStatsAcceptIt()
    {
        using var dir = CliData.Scratch();
        string xmrd = dir.File("test.xmrd"), back = dir.File("back.txt"), xOnly = dir.File("x.xmrd");
        Assert.That(Xmr.Run("convert", "-i", Data.Test, "-o", xmrd).ExitCode, Is.EqualTo(0));
        Assert.That(Xmr.Run("convert", "-i", xmrd, "-o", back).ExitCode, Is.EqualTo(0));
        Assert.That(File.ReadAllBytes(back), Is.EqualTo(File.ReadAllBytes(Data.Test)), "txt -> xmrd -> txt");
        Assert.That(Xmr.Run("convert", "-i", Data.Test, "-x", xOnly).ExitCode, Is.EqualTo(0));
        Assert.That(XmrdFormat.Read(xOnly).Labels, Is.Null);

        string fromText = dir.File("p1.npz"), fromBinary = dir.File("p2.npz"), fromFeatures = dir.File("p3.npz");
        Assert.That(Xmr.Run("predict", "-x", Data.Test, "-m", Data.Model, "-o", fromText).ExitCode, Is.EqualTo(0));
        Assert.That(Xmr.Run("predict", "-x", xmrd, "-m", Data.Model, "-o", fromBinary).ExitCode, Is.EqualTo(0));
        Assert.That(Xmr.Run("predict", "-x", xOnly, "-m", Data.Model, "-o", fromFeatures).ExitCode, Is.EqualTo(0));
        Assert.That(File.ReadAllBytes(fromBinary), Is.EqualTo(File.ReadAllBytes(fromText)));
        Assert.That(File.ReadAllBytes(fromFeatures), Is.EqualTo(File.ReadAllBytes(fromText)));

        var evalText = Xmr.Run("evaluate", "-y", Data.Test, "-p", fromText);
        var evalBinary = Xmr.Run("evaluate", "-y", xmrd, "-p", fromText);
        Assert.That(evalBinary.ExitCode, Is.EqualTo(0), evalBinary.ToString());
        Assert.That(evalBinary.Out, Is.EqualTo(evalText.Out));
        var stats = Xmr.Run("stats", "-i", xmrd);
        Assert.That(stats.ExitCode, Is.EqualTo(0), stats.ToString());
        Assert.That(stats.Out, Is.EqualTo(Xmr.Run("stats", "-i", Data.Test).Out));
    }

    [Test]
    public void ACorruptXmrdIsOneErrorLineNamingFileAndSection()
    {
        using var dir = CliData.Scratch();
        string xmrd = dir.File("d.xmrd");
        Assert.That(Xmr.Run("convert", "-i", Data.Test, "-o", xmrd).ExitCode, Is.EqualTo(0));
        var bytes = File.ReadAllBytes(xmrd);
        long valuesAt = BitConverter.ToInt64(bytes, 64 + 32 * 2 + 8);
        bytes[valuesAt + 5] ^= 0x40;
        File.WriteAllBytes(xmrd, bytes);
        Xmr.AssertUserError(Xmr.Run("predict", "-x", xmrd, "-m", Data.Model, "-o", dir.File("p.npz")), xmrd, "X values", "checksum");
        string featuresOnly = dir.File("x.xmrd");
        Assert.That(Xmr.Run("convert", "-i", Data.Test, "-x", featuresOnly).ExitCode, Is.EqualTo(0));
        Xmr.AssertUserError(Xmr.Run("convert", "-i", featuresOnly, "-o", dir.File("t.txt")), "needs labels");
    }
}
