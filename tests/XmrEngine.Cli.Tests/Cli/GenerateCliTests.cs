namespace XmrEngine.Tests.Cli;

/// <summary><c>xmr generate xmr</c>, with and without the named benchmark presets.</summary>
public class GenerateCliTests
{
    private static string Header(string path) => File.ReadLines(path).First();

    [Test]
    public void Preset_EqualsItsFlags_AndExplicitFlagsOverrideIt()
    {
        using var dir = CliData.Scratch();
        // 20k with fewer rows (an explicit -n wins), so the test stays small; the rest comes from the preset.
        var run = Xmr.Run("generate", "xmr", "--preset", "20k", "-n", "300", "-o", dir.File("p.txt"), "--test-output", dir.File("pt.txt"), "--test-instances", "50");
        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(Header(dir.File("p.txt")), Is.EqualTo("300 100000 20000"));
        Assert.That(Header(dir.File("pt.txt")), Is.EqualTo("50 100000 20000"));
        run = Xmr.Run("generate", "xmr", "-n", "300", "-d", "100000", "-l", "20000", "--seed", "0", "-o", dir.File("f.txt"), "--test-output", dir.File("ft.txt"), "--test-instances", "50");
        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(File.ReadAllBytes(dir.File("p.txt")), Is.EqualTo(File.ReadAllBytes(dir.File("f.txt"))));
        Assert.That(File.ReadAllBytes(dir.File("pt.txt")), Is.EqualTo(File.ReadAllBytes(dir.File("ft.txt"))));
    }

    [Test]
    public void PresetTestRows_AreWrittenOnlyWithATestOutput()
    {
        using var dir = CliData.Scratch();
        var run = Xmr.Run("generate", "xmr", "--preset", "20k", "-n", "200", "-o", dir.File("p.txt"));
        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(Header(dir.File("p.txt")), Is.EqualTo("200 100000 20000"));
    }

    [Test]
    public void UnknownPreset_IsAUserErrorListingTheNames()
    {
        using var dir = CliData.Scratch();
        Xmr.AssertUserError(Xmr.Run("generate", "xmr", "--preset", "huge", "-o", dir.File("x.txt")), "--preset", "20k, 200k, 1m", "huge");
    }
}
