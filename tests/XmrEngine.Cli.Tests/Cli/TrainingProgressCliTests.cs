namespace XmrEngine.Tests.Cli;

/// <summary>Training progress on a standard error that is not a terminal: one plain line per stage.</summary>
public class TrainingProgressCliTests
{
    private static CliData Data => CliData.Shared;

    [Test]
    public void Trees_AnnounceEachLevelOfEachTreeOnce()
    {
        using var dir = CliData.Scratch();
        // Three trees on two threads train side by side, so their reports interleave.
        var run = Xmr.Run("train", "-x", Data.Train, "-m", dir.File("three.xmr"), "--trees", "3", "--nr-splits", "4", "--max-leaf-size", "8", "--threads", "2");
        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        var stages = run.ErrLines.Where(l => l.Contains("training level")).ToList();
        Assert.That(stages, Is.Unique, run.ToString());
        Assert.That(stages.Count(l => l.StartsWith("tree 1/3: training level 1/", StringComparison.Ordinal)), Is.EqualTo(1), run.ToString());
        Assert.That(stages.Select(l => l[..l.IndexOf(':')]).Distinct(), Is.EquivalentTo(new[] { "tree 1/3", "tree 2/3", "tree 3/3" }), run.ToString());
    }
}
