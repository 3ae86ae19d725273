using XmrEngine.Cli;

namespace XmrEngine.Tests.Cli;

/// <summary>What one in-process <c>xmr</c> run returned and printed.</summary>
internal sealed record CliRun(int ExitCode, string Out, string Err)
{
    /// <summary>Standard error split into non-empty lines.</summary>
    public string[] ErrLines => Err.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Out}\n--- stderr\n{Err}";
}

/// <summary>
/// Runs the <c>xmr</c> command line in this process, as <c>Program</c> does, with standard output and
/// error captured. Runs are serialised: the CLI's console binding is process-wide.
/// </summary>
internal static class Xmr
{
    private static readonly Lock Gate = new();

    public static CliRun Run(params string[] args) => RunWithEnvironment(null, args);

    /// <summary>Runs with environment variables set for the duration of the call (null value: unset).</summary>
    public static CliRun RunWithEnvironment(IReadOnlyDictionary<string, string?>? environment, params string[] args)
    {
        lock (Gate)
        {
            var saved = new Dictionary<string, string?>();
            foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
            {
                saved[name] = Environment.GetEnvironmentVariable(name);
                Environment.SetEnvironmentVariable(name, value);
            }
            var output = new StringWriter();
            var error = new StringWriter();
            CliConsole.Use(output, error);
            try
            {
                int code = CliRunner.Run(args);
                return new CliRun(code, output.ToString(), error.ToString());
            }
            finally
            {
                CliConsole.UseProcessStreams();
                foreach (var (name, value) in saved) Environment.SetEnvironmentVariable(name, value);
            }
        }
    }

    /// <summary>Asserts a user error: exit 2 and exactly one "error:" line on stderr containing every fragment.</summary>
    public static void AssertUserError(CliRun run, params string[] fragments)
    {
        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.ErrLines, Has.Length.EqualTo(1), run.ToString());
        Assert.That(run.ErrLines[0], Does.StartWith("error: "), run.ToString());
        foreach (var f in fragments) Assert.That(run.ErrLines[0], Does.Contain(f), run.ToString());
    }
}
