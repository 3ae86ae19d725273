using XmrEngine.Fuzz;
using XmrEngine.Tests.Support;

namespace XmrEngine.Hosting.Tests;

/// <summary>
/// Replays through the fuzz targets (the same functions <c>./build.sh fuzz</c> runs under AFL++) every input a fuzzing
/// run found and that was fixed, committed under <c>tests/XmrEngine.Fuzz/Regressions/TARGET/</c>, and every target's
/// seeds. Each must end within the target's contract: a valid object or the project's data exception.
/// </summary>
/// <remarks>It lives here because this is the one test project that already references every reader, the hosting layer included.</remarks>
public class FuzzRegressionTests
{
    private static string Corpus => Path.Combine(SharedData.RepoRoot ?? throw new InvalidOperationException("repository root not found"),
        "tests", "XmrEngine.Fuzz", "Regressions");

    private static IEnumerable<string> Targets() => FuzzTargets.All.Keys;

    [Test]
    public void EveryFixedFindingStaysWithinTheContract()
    {
        foreach (string folder in Directory.GetDirectories(Corpus).Order(StringComparer.Ordinal))
        {
            string target = Path.GetFileName(folder);
            Assert.That(FuzzTargets.All.ContainsKey(target), $"{folder}: no fuzz target is named '{target}'");
            var run = FuzzTargets.All[target];
            run.Prepare?.Invoke();
            foreach (string file in Directory.GetFiles(folder).Order(StringComparer.Ordinal))
                Assert.DoesNotThrow(() => run.Run(File.ReadAllBytes(file)), Path.GetRelativePath(Corpus, file));
        }
    }

    [TestCaseSource(nameof(Targets))]
    public void EveryTargetsSeedsAreWithinTheContract(string target)
    {
        using var dir = new TempDir();
        var run = FuzzTargets.All[target];
        run.Seed(dir.Path);
        var seeds = Directory.GetFiles(dir.Path);
        Assert.That(seeds, Is.Not.Empty);
        foreach (string seed in seeds) Assert.DoesNotThrow(() => run.Run(File.ReadAllBytes(seed)), Path.GetFileName(seed));
    }
}
