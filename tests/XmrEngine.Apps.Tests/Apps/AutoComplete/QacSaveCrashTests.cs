using System.Diagnostics;
using System.Text.RegularExpressions;
using XmrEngine.Apps.AutoComplete;
using XmrEngine.Tests.Support;

namespace XmrEngine.Tests.Apps.AutoComplete;

/// <summary>
/// A real <c>xmr qac train</c> process killed while it saves over an existing model: afterwards the
/// model path must load as the old or the new model, and the next save must leave no temporaries.
/// The old model is a trie model saved in-process; the child trains k-means, so the loaded settings
/// tell which one survived. These tests use only the public save and load API and plain file
/// operations, so they run unchanged against any layout.
/// </summary>
[NonParallelizable]
public partial class QacSaveCrashTests
{
    private const int RenamesPerSave = 5; // three files via AtomicFile, the version directory, the pointer

    private TempDir _dir = null!;
    private string _log = null!;
    private QacModel _old = null!;

    [OneTimeSetUp]
    public void TrainOldModel()
    {
        _dir = new TempDir();
        _log = _dir.File("log.tsv");
        SyntheticQueryLog.WriteTsv(_log, sessions: 1500, seed: 1);
        var split = QacSplit.Load(_log, new QacDataOptions());
        _old = QacTrainer.Train(split.TrainPairs, new QacTrainOptions
        {
            Indexer = QacIndexerKind.Trie,
            TrieDepth = 1,
            PrefixesPerPair = 4,
            Threads = 1,
        });
    }

    [OneTimeTearDown]
    public void RemoveData() => _dir.Dispose();

    private string[] TrainArgs(string model) =>
        ["qac", "train", "-i", _log, "-m", model, "--indexer", "kmeans", "--max-leaf-size", "4", "--nr-splits", "4",
         "--prefixes-per-pair", "4", "--threads", "1"];

    /// <summary>
    /// strace delivers SIGKILL at the n-th rename the child makes, that is at every step of the save in turn
    /// (the reproduction: with the rename-aside save, n = 5 left no model at all).
    /// </summary>
    [Test]
    public void KilledAtEachRenameOfTheSaveTheModelLoadsAsTheOldOrTheNewOne()
    {
        RequireStrace();
        string model = _dir.File("strace-model");
        var survivors = new List<QacIndexerKind>();
        for (int n = 1; n <= RenamesPerSave + 1; n++)
        {
            QacModelFile.Save(model, _old);
            using var child = XmrCli.Start(TrainArgs(model), "strace", "-f", "-qq", "-o", "/dev/null",
                "-e", "trace=rename,renameat,renameat2", "-e", $"inject=rename,renameat,renameat2:signal=SIGKILL:when={n}");
            int exit = XmrCli.WaitForExit(child);
            var loaded = LoadAfterCrash(model, $"killed at rename {n}");
            Assert.That(loaded.Settings.Indexer, Is.AnyOf(QacIndexerKind.Trie, QacIndexerKind.KMeans), $"rename {n}");
            if (n > RenamesPerSave) Assert.That(exit, Is.Zero, "the save makes no more renames than counted: the child should finish");
            else Assert.That(exit, Is.Not.Zero, $"rename {n} should have killed the child");
            survivors.Add(loaded.Settings.Indexer);
        }
        ReportOutcomes("xmr qac train, SIGKILL at each rename", survivors.Take(RenamesPerSave).ToList(), RenamesPerSave);
        Assert.That(survivors[0], Is.EqualTo(QacIndexerKind.Trie), "killed at the first rename, the new model is not yet written");
        Assert.That(survivors[^1], Is.EqualTo(QacIndexerKind.KMeans), "the completed save is loaded");
        AssertNextSaveLeavesNoTemporaries(model);
    }

    /// <summary>
    /// The order that makes a save survive power loss, read from the system calls of a real save (strace -y names
    /// each descriptor's path): every rename that publishes something (the three files, the version directory, the
    /// pointer) comes after an fsync of what it renames and is followed by an fsync of the directory it renames into.
    /// </summary>
    [Test]
    public void EachRenameOfTheSaveIsPrecededByAnFsyncOfItsSourceAndFollowedByAnFsyncOfItsDirectory()
    {
        RequireStrace();
        string model = _dir.File("fsync-model"), trace = _dir.File("fsync.trace");
        using (var child = XmrCli.Start(TrainArgs(model), "strace", "-f", "-qq", "-y", "-o", trace,
                   "-e", "trace=fsync,rename,renameat,renameat2"))
            Assert.That(XmrCli.WaitForExit(child), Is.Zero);
        var lines = File.ReadAllLines(trace);
        var renames = lines.Select((line, at) => (Match: RenameCall().Match(line), At: at)).Where(r => r.Match.Success).ToList();
        Assert.That(renames, Has.Count.EqualTo(RenamesPerSave), string.Join("\n", lines));
        foreach (var (match, at) in renames)
        {
            string from = match.Groups["from"].Value, to = match.Groups["to"].Value, folder = Path.GetDirectoryName(to)!;
            Assert.That(lines.Take(at).Any(l => l.Contains($"fsync(", StringComparison.Ordinal) && l.Contains($"<{from}>) = 0", StringComparison.Ordinal)),
                $"{from} is renamed without an fsync before");
            Assert.That(lines.Skip(at + 1).Any(l => l.Contains($"<{folder}>) = 0", StringComparison.Ordinal) && l.Contains("fsync(", StringComparison.Ordinal)),
                $"the directory {folder} is not fsynced after {to} appears in it");
        }
        Assert.That(QacModelFile.Load(model).Settings.Indexer, Is.EqualTo(QacIndexerKind.KMeans));
    }

    /// <summary>The counts perf/RESULTS.md records: kills, old model, new model; a corrupt model fails the test before this.</summary>
    private static void ReportOutcomes(string what, IReadOnlyCollection<QacIndexerKind> survivors, int killedMidSave) =>
        TestContext.Out.WriteLine($"{what}: {survivors.Count} kills ({killedMidSave} during the save): " +
            $"{survivors.Count(k => k == QacIndexerKind.Trie)} old model, {survivors.Count(k => k == QacIndexerKind.KMeans)} new model, 0 corrupt");

    [GeneratedRegex("""rename(?:at2?)?\((?:[^,]*, )?"(?<from>[^"]+)", (?:[^,]*, )?"(?<to>[^"]+)"[^)]*\) = 0""")]
    private static partial Regex RenameCall();

    /// <summary>Process.Kill at moments picked by watching the file system: while training, and at several delays after the save starts.</summary>
    [Test]
    public void KilledAtArbitraryMomentsTheModelLoadsAsTheOldOrTheNewOne()
    {
        string model = _dir.File("kill-model");
        int killedMidSave = 0;
        var survivors = new List<QacIndexerKind>();
        foreach (double delayMs in KillMoments.Planned(new[] { -1, 0, 0.5, 2, 5, 15, 40 }, () => killedMidSave > 0))
        {
            QacModelFile.Save(model, _old);
            var before = HiddenEntries(model);
            using var child = XmrCli.Start(TrainArgs(model));
            var clock = Stopwatch.StartNew();
            bool saving = false;
            // Negative delay: kill during training, before anything is written.
            while (!child.HasExited && clock.Elapsed < XmrCli.Deadline && delayMs >= 0)
            {
                if (HiddenEntries(model).Except(before).Any())
                {
                    saving = true;
                    break;
                }
                Thread.SpinWait(200);
            }
            if (delayMs < 0) Thread.Sleep(150);
            if (saving && delayMs > 0) Thread.Sleep(TimeSpan.FromMilliseconds(delayMs));
            if (!child.HasExited)
            {
                child.Kill(entireProcessTree: true);
                if (saving) killedMidSave++;
            }
            XmrCli.WaitForExit(child);
            var loaded = LoadAfterCrash(model, $"killed {delayMs} ms into the save");
            Assert.That(loaded.Settings.Indexer, Is.AnyOf(QacIndexerKind.Trie, QacIndexerKind.KMeans));
            survivors.Add(loaded.Settings.Indexer);
        }
        ReportOutcomes("xmr qac train, killed at arbitrary moments", survivors, killedMidSave);
        Assert.That(killedMidSave, Is.GreaterThan(0), "no kill landed inside a save; the test proved nothing");
        AssertNextSaveLeavesNoTemporaries(model);
    }

    private static QacModel LoadAfterCrash(string model, string what)
    {
        try
        {
            return QacModelFile.Load(model);
        }
        catch (Exception e) when (e is IOException or XmrEngine.IO.XmrDataException)
        {
            string listing = string.Join(", ", Directory.GetFileSystemEntries(Path.GetDirectoryName(model)!, "*", SearchOption.AllDirectories));
            Assert.Fail($"{what}: the model does not load: {e.Message}\n{listing}");
            throw;
        }
    }

    /// <summary>Hidden files and directories in and next to the model, where saves put their temporaries.</summary>
    private static HashSet<string> HiddenEntries(string model)
    {
        var found = new HashSet<string>();
        foreach (string dir in new[] { model, Path.GetDirectoryName(model)! })
        {
            try
            {
                foreach (string e in Directory.EnumerateFileSystemEntries(dir, ".*")) found.Add(e);
            }
            catch (DirectoryNotFoundException)
            {
                // The old save renames the model away for a moment.
            }
        }
        return found;
    }

    /// <summary>
    /// The killed children's temporaries are unlocked (the kernel drops a dead process's locks); once they
    /// are old enough (aged here instead of waiting), the next save of the same model removes every one.
    /// </summary>
    private void AssertNextSaveLeavesNoTemporaries(string model)
    {
        foreach (string e in Directory.GetFileSystemEntries(model, ".*", SearchOption.AllDirectories)
                     .Concat(Directory.GetFileSystemEntries(Path.GetDirectoryName(model)!, "." + Path.GetFileName(model) + ".*")))
        {
            if (File.Exists(e)) File.SetLastWriteTimeUtc(e, DateTime.UtcNow.AddMinutes(-5));
        }
        QacModelFile.Save(model, _old);
        var leftovers = Directory.GetFileSystemEntries(model, "*.tmp", SearchOption.AllDirectories)
            .Concat(Directory.GetFileSystemEntries(Path.GetDirectoryName(model)!, "." + Path.GetFileName(model) + ".*"));
        Assert.That(leftovers, Is.Empty);
        Assert.That(QacModelFile.Load(model).Settings.Indexer, Is.EqualTo(QacIndexerKind.Trie));
    }

    private static void RequireStrace()
    {
        if (!OperatingSystem.IsLinux()) Assert.Ignore("strace fault injection is Linux only.");
        try
        {
            using var probe = Process.Start(new ProcessStartInfo("strace", ["-qq", "-o", "/dev/null", "-e", "trace=rename", "true"])
            {
                RedirectStandardError = true,
                UseShellExecute = false,
            })!;
            probe.WaitForExit();
            if (probe.ExitCode != 0) Assert.Ignore("strace cannot trace here (ptrace not permitted?).");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            Assert.Ignore("strace is not installed.");
        }
    }
}
