using System.Diagnostics;
using XmrEngine.IO;
using XmrEngine.Persistence;
using XmrEngine.Tests.Support;

namespace XmrEngine.Tests.Cli;

/// <summary>
/// <c>xmr export --pecos</c>: the folder holds the model's own tree, weights and prediction settings in PECOS's layout
/// (read back by the PECOS importer and predicted through the front door, identically), with or without a bias; PECOS
/// itself loads it and predicts the same scores (when its source is at PECOS_SRC or ../peers/pecos); bad uses are named.
/// </summary>
public class PecosExportCliTests
{
    private static CliData Data => CliData.Shared;

    [TestCase(null)]
    [TestCase("0")]
    public void TheExportedFolderIsTheSameModel_AndPredictsTheSame(string? bias)
    {
        using var dir = CliData.Scratch();
        string model = Data.Model;
        if (bias is not null)
        {
            model = dir.File("nobias.xmr");
            var trained = Xmr.Run("train", "-x", Data.Train, "-m", model, "--bias", bias, "--no-adapt", "--threads", "1");
            Assert.That(trained.ExitCode, Is.EqualTo(0), trained.ToString());
        }
        var run = Xmr.Run("export", "-m", model, "--pecos", dir.File("pecos"));
        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(run.Out, Does.Contain("as a PECOS XLinearModel"));

        var original = XLinearModelFile.Load(model, out var metadata);
        var exported = PecosModelDirectory.Load(dir.File("pecos"), NpzFormat.ReadCsc);
        Assert.That(exported.Model.Bias, Is.EqualTo(original.Bias));
        Assert.That(exported.Model.FeatureCount, Is.EqualTo(original.FeatureCount));
        Assert.That((exported.Options.BeamSize, exported.Options.TopK, exported.Options.PostProcessor.Name),
            Is.EqualTo((metadata.Prediction.BeamSize, metadata.Prediction.TopK, metadata.Prediction.PostProcessor.Name)));
        for (int t = 0; t < original.Chain.Depth; t++)
        {
            Assert.That(exported.Model.Chain.Levels[t].Indices.ToArray(), Is.EqualTo(original.Chain.Levels[t].Indices.ToArray()), $"level {t}'s tree");
            Assert.That(exported.Model.Weights[t].Pointers.ToArray(), Is.EqualTo(original.Weights[t].Pointers.ToArray()), $"level {t}'s weights");
            Assert.That(exported.Model.Weights[t].Indices.ToArray(), Is.EqualTo(original.Weights[t].Indices.ToArray()), $"level {t}'s weights");
            Assert.That(exported.Model.Weights[t].Values.ToArray(), Is.EqualTo(original.Weights[t].Values.ToArray()), $"level {t}'s weights");
        }
        // PECOS's W has no bias row when the model has no bias.
        int wRows = NpzFormat.ReadCsc(Path.Combine(dir.File("pecos"), "ranker", "0.model", "W.npz")).Rows;
        Assert.That(wRows, Is.EqualTo(original.FeatureCount + (original.Bias > 0 ? 1 : 0)));

        Assert.That(Xmr.Run("predict", "-x", Data.Test, "-m", model, "-o", dir.File("a.npz")).ExitCode, Is.EqualTo(0));
        Assert.That(Xmr.Run("predict", "-x", Data.Test, "-m", dir.File("pecos"), "-o", dir.File("b.npz")).ExitCode, Is.EqualTo(0));
        var a = NpzFormat.ReadCsr(dir.File("a.npz"));
        var b = NpzFormat.ReadCsr(dir.File("b.npz"));
        Assert.That(b.Indices.ToArray(), Is.EqualTo(a.Indices.ToArray()));
        Assert.That(b.Values.ToArray(), Is.EqualTo(a.Values.ToArray()));
    }

    [Test]
    public void PecosLoadsTheExport_AndPredictsTheSameScores()
    {
        if (PecosSource.Root is null) Assert.Ignore("PECOS's source is not at PECOS_SRC or ../peers/pecos.");
        using var dir = CliData.Scratch();
        Assert.That(Xmr.Run("export", "-m", Data.Model, "--pecos", dir.File("pecos")).ExitCode, Is.EqualTo(0));
        Assert.That(Xmr.Run("predict", "-x", Data.Test, "-m", Data.Model, "-o", dir.File("xmr.npz")).ExitCode, Is.EqualTo(0));
        // PECOS is fed the rows xmr's model prepares for itself: L2-normalised, as the export's note says.
        string script = """
import sys, numpy as np, scipy.sparse as sp
from sklearn.preprocessing import normalize
from pecos.xmc.xlinear.model import XLinearModel
from pecos.utils import smat_util
test, folder, ref = sys.argv[1:4]
rows, labels = [], []
lines = open(test).read().splitlines()
n, d, l = map(int, lines[0].split())
indptr, idx, val = [0], [], []
for line in lines[1:]:
    parts = line.split()
    feats = [p for p in parts if ':' in p]
    for f in feats:
        i, v = f.split(':'); idx.append(int(i)); val.append(float(v))
    indptr.append(len(idx))
X = normalize(sp.csr_matrix((np.array(val, dtype=np.float32), idx, indptr), shape=(n, d)), norm='l2').astype(np.float32)
want = sp.load_npz(ref).tocsr()
for predict_only in (False, True):
    P = XLinearModel.load(folder, is_predict_only=predict_only).predict(X).tocsr()
    assert (abs((P != 0).astype(int) - (want != 0).astype(int))).sum() == 0, 'top-k differs'
    diff = abs(P - want).max()
    assert diff <= 1e-6, diff
    print('predict_only', predict_only, 'max diff', diff)
""";
        var info = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in new[] { "-c", script, Data.Test, dir.File("pecos"), dir.File("xmr.npz") }) info.ArgumentList.Add(a);
        info.Environment["PYTHONPATH"] = PecosSource.Root;
        using var python = Process.Start(info)!;
        string stdout = python.StandardOutput.ReadToEnd(), stderr = python.StandardError.ReadToEnd();
        Assert.That(python.WaitForExit(TimeSpan.FromMinutes(2)), Is.True, "python finished");
        if (stderr.Contains("No module named") && python.ExitCode != 0) Assert.Ignore($"PECOS cannot be imported here: {stderr.Trim().Split('\n')[^1]}");
        Assert.That(python.ExitCode, Is.EqualTo(0), stdout + stderr);
        Assert.That(stdout, Does.Contain("predict_only True max diff"));
    }

    [Test]
    public void BadUsesAreNamed()
    {
        using var dir = CliData.Scratch();
        Directory.CreateDirectory(dir.File("taken"));
        Xmr.AssertUserError(Xmr.Run("export", "-m", Data.Model, "--pecos", dir.File("taken")), "already exists");
        Assert.That(Xmr.Run("train", "-x", Data.Train, "-m", dir.File("three.xmr"), "--trees", "2", "--no-adapt", "--threads", "1").ExitCode, Is.EqualTo(0));
        Xmr.AssertUserError(Xmr.Run("export", "-m", dir.File("three.xmr"), "--pecos", dir.File("out")), "ensemble of 2 trees");
        Assert.That(Directory.Exists(dir.File("out")), Is.False, "nothing half-written");
        Xmr.AssertUserError(Xmr.Run("export", "-m", dir.File("none.xmr"), "--pecos", dir.File("out")), "none.xmr");
        // A folder named with a trailing separator, as shells complete it.
        var slash = Xmr.Run("export", "-m", Data.Model, "--pecos", dir.File("slash") + Path.DirectorySeparatorChar);
        Assert.That(slash.ExitCode, Is.EqualTo(0), slash.ToString());
        Assert.That(File.Exists(Path.Combine(dir.File("slash"), "ranker", "param.json")), Is.True);
        Assert.That(Directory.GetDirectories(dir.Path, "slash*"), Has.Length.EqualTo(1), "no staging folder left");
    }
}
