using System.Diagnostics;
using XmrEngine.Cli;

namespace XmrEngine.Tests.Cli;

/// <summary>The CLI's promise: every usage or input error is one line naming the option or file, and exit 2; output streams are clean.</summary>
public class CliErrorTests
{
    private static CliData Data => CliData.Shared;

    [TestCase("predict", "-x", "a.txt")]                  // missing -m and -o
    [TestCase("info", "--bogus")]                         // unknown flag
    [TestCase("no-such-verb")]
    [TestCase("train", "-x", "a.txt", "-m", "m.xmr", "--nr-splits", "three")]   // not a number
    public void UsageErrorsAreOneLineAndExit2(params string[] args)
    {
        var run = Xmr.Run(args);
        Xmr.AssertUserError(run, "--help");
    }

    [TestCase("--nr-splits", "3", "--nr-splits must be a power of two")]
    [TestCase("--max-leaf-size", "0", "--max-leaf-size must be at least 1")]
    [TestCase("--Cp", "-1", "--Cp must be a finite positive number")]
    [TestCase("--threads", "-2", "--threads must be >= 0")]
    public void BadOptionValuesNameTheFlagNotTheLibraryProperty(string flag, string value, string expected)
    {
        using var dir = CliData.Scratch();
        var run = Xmr.Run("train", "-x", Data.Train, "-m", dir.File("m.xmr"), flag, value);
        Xmr.AssertUserError(run, expected);
        Assert.That(run.Err, Does.Not.Contain("Parameter").And.Not.Contain("Actual value").And.Not.Contain("Options."));
        Assert.That(File.Exists(dir.File("m.xmr")), Is.False);
    }

    [Test]
    public void AnUnknownXmrBackendFailsInsteadOfBeingIgnored()
    {
        using var dir = CliData.Scratch();
        var env = new Dictionary<string, string?> { ["XMR_BACKEND"] = "bogus" };
        var run = Xmr.RunWithEnvironment(env, "train", "-x", Data.Train, "-m", dir.File("m.xmr"));
        Xmr.AssertUserError(run, "XMR_BACKEND=bogus", "unknown backend");
        var info = Xmr.RunWithEnvironment(env, "info");
        Assert.That(info.ExitCode, Is.EqualTo(0), info.ToString());
        Assert.That(info.Out, Does.Contain("XMR_BACKEND=bogus"));
    }

    [Test]
    public void ABinaryFileFedAsTextGivesOneLineWithoutRawControlBytes()
    {
        using var dir = CliData.Scratch();
        string binary = dir.Write("binary.txt", [0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x1b, 0x5b, 0x33, 0x31, 0x6d, 0x00, 0x07, 0x0a, 0x08, 0x1b, 0x5b, 0x32, 0x4a]);
        var run = Xmr.Run("train", "-x", binary, "-m", dir.File("m.xmr"));
        Xmr.AssertUserError(run, binary);
        Assert.That(run.Err.TrimEnd('\n', '\r').Any(c => char.IsControl(c)), Is.False, run.Err);
    }

    [Test]
    public void ErrorTextCleansMessagesAndMapsPropertiesToFlags()
    {
        Assert.That(ErrorText.Clean("bad\u001b[31m byte\nsecond line"), Is.EqualTo("bad\\x1B[31m byte"));
        Assert.That(ErrorText.Clean(new string('x', 5000)), Has.Length.LessThan(700));
        var command = new System.CommandLine.Command("t") { new System.CommandLine.Option<int>("--max-leaf-size") };
        var e = new ArgumentOutOfRangeException("MaxLeafSize", 0, "HierarchicalKMeansOptions.MaxLeafSize must be at least 1; got 0.");
        Assert.That(ErrorText.Describe(e, command), Is.EqualTo("--max-leaf-size must be at least 1; got 0."));
        var unknown = new ArgumentException("Something else.", "Other");
        Assert.That(ErrorText.Describe(unknown, command), Is.EqualTo("Something else."));
    }

    [Test]
    public void TrainPrintsItsSummaryOnStdoutAndNothingElseThere()
    {
        using var dir = CliData.Scratch();
        var run = Xmr.Run("train", "-x", Data.Train, "-m", dir.File("m.xmr"), "--nr-splits", "4", "--max-leaf-size", "8");
        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(run.Out.Trim().Split('\n'), Has.Length.EqualTo(1), run.ToString());
        Assert.That(run.Out, Does.StartWith("trained "));
        Assert.That(run.Err, Does.Not.Contain("trained "));
    }

    /// <summary>The real executable with stdout and stderr redirected (as `| cat -v` or a log file sees it) and a colour terminal type.</summary>
    [Test]
    public void RedirectedOutputOfTheRealProcessHasNoEscapeCodes()
    {
        string xmr = Path.Combine(AppContext.BaseDirectory, "xmr.dll");
        Assume.That(File.Exists(xmr), "xmr.dll is copied beside the tests by the project reference");
        foreach (var args in new[] { new[] { "info" }, ["stats", "-i", Data.Train] })
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add(xmr);
            foreach (var a in args) start.ArgumentList.Add(a);
            start.Environment["TERM"] = "xterm-256color";
            start.Environment["COLORTERM"] = "truecolor";
            start.Environment.Remove("NO_COLOR");
            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            string stdout = process.StandardOutput.ReadToEnd();
            Assert.That(process.WaitForExit(60_000), Is.True);
            Assert.That(process.ExitCode, Is.EqualTo(0), stderr.Result);
            Assert.That(stdout, Does.Not.Contain("\u001b"), string.Join(' ', args));
            Assert.That(stderr.Result, Does.Not.Contain("\u001b"), string.Join(' ', args));
            Assert.That(stdout.Length, Is.GreaterThan(50));
        }
    }
}
