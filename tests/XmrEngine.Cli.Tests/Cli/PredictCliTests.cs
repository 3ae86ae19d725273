using XmrEngine.IO;
using XmrEngine.Sparse;

namespace XmrEngine.Tests.Cli;

/// <summary><c>xmr predict</c> and <c>xmr train</c> as a new user runs them: huge settings, outputs that are inputs, input rules.</summary>
public class PredictCliTests
{
    private static CliData Data => CliData.Shared;

    private static int MaxRowLength(CsrMatrix m) => Enumerable.Range(0, m.Rows).Max(m.RowLength);

    [TestCase("--top-k", "1000000")]
    [TestCase("--top-k", "2147483647")]
    [TestCase("--beam-size", "2147483647")]
    public void HugeTopKOrBeamIsCappedAtTheLabelCountWithANote(string flag, string value)
    {
        using var dir = CliData.Scratch();
        string output = dir.File("p.npz");
        var run = Xmr.Run("predict", "-x", Data.Test, "-m", Data.Model, "-o", output, flag, value);
        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(run.Err, Does.Contain($"note: {flag} {value} is more than the "));
        var scores = NpzFormat.ReadCsr(output);
        Assert.That(scores.Rows, Is.EqualTo(200));
        Assert.That(MaxRowLength(scores), flag == "--top-k" ? Is.EqualTo(CliData.Labels) : Is.EqualTo(10));
    }

    [Test]
    public void HugeTopKOnTheMaskedProductPathIsCappedToo()
    {
        using var dir = CliData.Scratch();
        string output = dir.File("p.npz");
        var run = Xmr.Run("predict", "-x", Data.Test, "-m", Data.Model, "-o", output, "--backend", "managed", "--top-k", "2147483647", "--beam-size", "2147483647");
        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(MaxRowLength(NpzFormat.ReadCsr(output)), Is.EqualTo(CliData.Labels));
    }

    [Test]
    public void TheMklMaskedPathSaysItRunsOnManaged()
    {
        if (!XmrEngine.Kernels.KernelRegistry.IsAvailable(XmrEngine.Kernels.KernelBackend.Mkl, out var why)) Assert.Ignore($"MKL is not available: {why}");
        using var dir = CliData.Scratch();
        var run = Xmr.Run("predict", "-x", Data.Test, "-m", Data.Model, "-o", dir.File("p.npz"), "--backend", "mkl");
        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(run.Out, Does.Contain("masked product on managed").And.Contain("mkl has none"));
    }

    [Test]
    public void TheChunkedPredictorOnEveryBackendGivesTheServingPredictions()
    {
        using var dir = CliData.Scratch();
        var reference = Xmr.Run("predict", "-x", Data.Test, "-m", Data.Model, "-o", dir.File("default.npz"));
        Assert.That(reference.ExitCode, Is.EqualTo(0), reference.ToString());
        var expected = NpzFormat.ReadCsr(dir.File("default.npz"));
        foreach (var backend in XmrEngine.Kernels.KernelRegistry.Available())
        {
            string name = backend.Backend.ToString().ToLowerInvariant(), output = dir.File($"{name}.npz");
            var run = Xmr.Run("predict", "-x", Data.Test, "-m", Data.Model, "-o", output, "--backend", name, "--scoring", "chunked");
            Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
            Assert.That(run.Out, Does.Contain($"chunked, rows added on {backend.Name}"));
            var actual = NpzFormat.ReadCsr(output);
            Assert.That(actual.Indices.ToArray(), Is.EqualTo(expected.Indices.ToArray()), name);
            Assert.That(actual.Values.ToArray(), Is.EqualTo(expected.Values.ToArray()).Within(1e-5f), name);
        }
        Xmr.AssertUserError(Xmr.Run("predict", "-x", Data.Test, "-m", Data.Model, "-o", dir.File("x.npz"), "--scoring", "chunked"), "--scoring chunked needs --backend");
        Xmr.AssertUserError(Xmr.Run("predict", "-x", Data.Test, "-m", Data.Model, "-o", dir.File("x.npz"), "--backend", "managed", "--scoring", "dense"), "--scoring");
    }

    [Test]
    public void NonPositiveTopKIsAUsageError()
    {
        using var dir = CliData.Scratch();
        Xmr.AssertUserError(Xmr.Run("predict", "-x", Data.Test, "-m", Data.Model, "-o", dir.File("p.npz"), "--top-k", "0"), "--top-k");
    }

    [Test]
    public void OutputThatIsTheModelIsRefusedAndTheModelSurvives()
    {
        using var dir = CliData.Scratch();
        string victim = dir.File("victim.xmr");
        File.Copy(Data.Model, victim);
        byte[] before = File.ReadAllBytes(victim);
        var run = Xmr.Run("predict", "-x", Data.Test, "-m", victim, "-o", victim);
        Xmr.AssertUserError(run, "-o", "is also the input -m");
        Assert.That(File.ReadAllBytes(victim), Is.EqualTo(before));
    }

    [Test]
    public void OutputThatIsAnInputThroughASymbolicLinkOrAnotherSpellingIsRefused()
    {
        using var dir = CliData.Scratch();
        string data = dir.File("v.npz");
        File.Copy(Data.Model, dir.File("m.xmr"));
        NpzFormat.Write(data, XmcTextFormat.Read(Data.Test).Features);
        string link = dir.File("link.npz");
        File.CreateSymbolicLink(link, data);
        byte[] before = File.ReadAllBytes(data);
        Xmr.AssertUserError(Xmr.Run("predict", "-x", data, "-m", dir.File("m.xmr"), "-o", link), "is also the input -x");
        string otherSpelling = Path.Combine(dir.Path, ".", "sub", "..", "v.npz");
        Directory.CreateDirectory(dir.File("sub"));
        Xmr.AssertUserError(Xmr.Run("predict", "-x", data, "-m", dir.File("m.xmr"), "-o", otherSpelling), "is also the input -x");
        Assert.That(File.ReadAllBytes(data), Is.EqualTo(before));
    }

    [Test]
    public void AFileOutputThatIsADirectory_IsRefusedBeforeAnyWork()
    {
        using var dir = CliData.Scratch();
        string folder = Directory.CreateDirectory(dir.File("out")).FullName;
        var train = Xmr.Run("train", "-x", Data.Train, "-m", folder);
        Xmr.AssertUserError(train, "-m", folder, "is a directory");
        Assert.That(train.Err, Does.Not.Contain("training level"), "refused before training started");
        Xmr.AssertUserError(Xmr.Run("spmm", "-a", Data.Test, "-b", Data.Test, "-o", folder), "-o", "is a directory");
        Xmr.AssertUserError(Xmr.Run("generate", "xmr", "--preset", "20k", "-o", folder), "-o", "is a directory");
        Assert.That(Directory.EnumerateFileSystemEntries(folder), Is.Empty, "nothing was written into the directory");
    }

    [Test]
    public void TrainingOntoItsOwnDataIsRefused()
    {
        using var dir = CliData.Scratch();
        string v = dir.File("v.txt");
        File.Copy(Data.Train, v);
        byte[] before = File.ReadAllBytes(v);
        Xmr.AssertUserError(Xmr.Run("train", "-x", v, "-m", v), "-m", "is also the input -x");
        Assert.That(File.ReadAllBytes(v), Is.EqualTo(before));
    }

    [Test]
    public void PredictionsAreOnlyWrittenAsNpz()
    {
        using var dir = CliData.Scratch();
        var run = Xmr.Run("predict", "-x", Data.Test, "-m", Data.Model, "-o", dir.File("o.txt"));
        Xmr.AssertUserError(run, "-o", ".npz");
        Assert.That(File.Exists(dir.File("o.txt")), Is.False);
    }

    [Test]
    public void AMissingOutputDirectoryFailsBeforeAnyInputIsRead()
    {
        using var dir = CliData.Scratch();
        string model = Path.Combine(dir.Path, "no", "such", "m.xmr");
        // The input is missing too: the output is checked first, so the error is about -m.
        Xmr.AssertUserError(Xmr.Run("train", "-x", dir.File("missing.txt"), "-m", model), "-m " + model, "does not exist");
        File.WriteAllText(dir.File("plain"), "a file, not a directory");
        Xmr.AssertUserError(Xmr.Run("train", "-x", Data.Train, "-m", Path.Combine(dir.File("plain"), "m.xmr")), "-m");
    }

    [Test]
    public void MoreFeatureColumnsThanTheModelNamesTheFile()
    {
        using var dir = CliData.Scratch();
        var test = XmcTextFormat.Read(Data.Test);
        var wide = new CsrMatrix(1, CliData.Features + 50, [0, 1], [CliData.Features + 10], [1f]);
        string path = dir.File("wide.txt");
        XmcTextFormat.Write(path, wide, test.Labels.SelectRows([0]));
        Xmr.AssertUserError(Xmr.Run("predict", "-x", path, "-m", Data.Model, "-o", dir.File("p.npz")), path, $"{CliData.Features + 50:N0} feature columns");
    }

    [Test]
    public void NpzInputGetsTheSameNormalisationAsTextSoConvertedDataGivesTheSameModel()
    {
        using var dir = CliData.Scratch();
        string x = dir.File("X.npz"), y = dir.File("Y.npz"), xt = dir.File("Xt.npz");
        Assert.That(Xmr.Run("convert", "-i", Data.Train, "-x", x, "-y", y).ExitCode, Is.EqualTo(0));
        Assert.That(Xmr.Run("convert", "-i", Data.Test, "-x", xt).ExitCode, Is.EqualTo(0));
        string npzModel = dir.File("npz.xmr");
        var train = Xmr.Run("train", "-x", x, "-y", y, "-m", npzModel, "--nr-splits", "4", "--max-leaf-size", "8", "--threads", "1");
        Assert.That(train.ExitCode, Is.EqualTo(0), train.ToString());

        CsrMatrix Predict(string model, string features)
        {
            string output = dir.File($"p-{Guid.NewGuid():N}.npz");
            var run = Xmr.Run("predict", "-x", features, "-m", model, "-o", output);
            Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
            Assert.That(run.Err, Does.Not.Contain("warning"), run.ToString());
            return NpzFormat.ReadCsr(output);
        }

        var reference = Predict(Data.Model, Data.Test);
        foreach (var (model, features) in new[] { (Data.Model, xt), (npzModel, Data.Test), (npzModel, xt) })
        {
            var other = Predict(model, features);
            Assert.That(other.Indices.ToArray(), Is.EqualTo(reference.Indices.ToArray()), $"{model} on {features}");
            Assert.That(other.Values.ToArray(), Is.EqualTo(reference.Values.ToArray()).Within(1e-5f), $"{model} on {features}");
        }
    }

    [Test]
    public void TheModelRecordsItsInputRuleAndPredictFollowsItAndWarnsOnMismatchedRows()
    {
        using var dir = CliData.Scratch();
        string raw = dir.File("raw.xmr");
        var train = Xmr.Run("train", "-x", Data.Train, "-m", raw, "--no-normalize", "--nr-splits", "4", "--max-leaf-size", "8", "--threads", "1");
        Assert.That(train.ExitCode, Is.EqualTo(0), train.ToString());
        Assert.That(train.Out, Does.Contain("rows as given"));

        var follows = Xmr.Run("predict", "-x", Data.Test, "-m", raw, "-o", dir.File("a.npz"));
        Assert.That(follows.ExitCode, Is.EqualTo(0), follows.ToString());
        Assert.That(follows.Out, Does.Contain("rows as given"), "a model trained on raw rows predicts on raw rows by default");
        Assert.That(follows.Err, Does.Not.Contain("warning"));

        var mismatched = Xmr.Run("predict", "-x", Data.Test, "-m", Data.Model, "-o", dir.File("b.npz"), "--no-normalize");
        Assert.That(mismatched.ExitCode, Is.EqualTo(0), mismatched.ToString());
        Assert.That(mismatched.Err, Does.Contain("warning: ").And.Contain(Data.Test).And.Contain("median L2 norm").And.Contain("drop --no-normalize"));
    }

    [Test]
    public void EvaluatingBeyondThePredictedDepthWarns()
    {
        using var dir = CliData.Scratch();
        string p = dir.File("p.npz");
        Assert.That(Xmr.Run("predict", "-x", Data.Test, "-m", Data.Model, "-o", p).ExitCode, Is.EqualTo(0));
        var run = Xmr.Run("evaluate", "-y", Data.Test, "-p", p, "-k", "20");
        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(run.Err, Does.Contain("warning: ").And.Contain("at most 10 labels per row"));
        var capped = Xmr.Run("evaluate", "-y", Data.Test, "-p", p, "-k", "2147483647", "--json");
        Assert.That(capped.ExitCode, Is.EqualTo(0), capped.ToString());
        Assert.That(capped.Err, Does.Contain($"note: -k 2147483647 is more than the {CliData.Labels} labels"));
        Assert.That(capped.Out, Does.Contain($"\"P@{CliData.Labels}\""));
    }
}
