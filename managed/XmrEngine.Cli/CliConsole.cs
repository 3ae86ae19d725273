using Spectre.Console;

namespace XmrEngine.Cli;

/// <summary>
/// The CLI's two streams. Results (tables, JSON, suggestions, summaries of what was written) go to
/// <see cref="Out"/> on standard output; progress bars, notes and warnings go to <see cref="Err"/> on
/// standard error, so <c>xmr ... &gt; result.txt</c> captures the answer and nothing else. Escape codes
/// (colour, cursor movement) are emitted only when the stream is a terminal and <c>NO_COLOR</c> is unset,
/// so redirected output is plain text.
/// </summary>
internal static class CliConsole
{
    /// <summary>Width assumed for a redirected stream: wide, so each table row stays on one line.</summary>
    private const int RedirectedWidth = 200;

    /// <summary>Results: standard output.</summary>
    public static IAnsiConsole Out { get; private set; } = null!;

    /// <summary>Progress and diagnostics: standard error.</summary>
    public static IAnsiConsole Err { get; private set; } = null!;

    /// <summary>True when standard error is a terminal that takes escape codes (a live progress bar can be drawn).</summary>
    public static bool ErrIsTerminal { get; private set; }

    /// <summary>Plain-text writer for results (same stream as <see cref="Out"/>).</summary>
    public static TextWriter OutWriter { get; private set; } = Console.Out;

    /// <summary>Plain-text writer for diagnostics (same stream as <see cref="Err"/>).</summary>
    public static TextWriter ErrWriter { get; private set; } = Console.Error;

    static CliConsole() => UseProcessStreams();

    /// <summary>Binds both consoles to this process's standard output and error.</summary>
    public static void UseProcessStreams()
    {
        bool noColor = !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));
        Bind(Console.Out, Console.Error, !Console.IsOutputRedirected && !noColor, !Console.IsErrorRedirected && !noColor);
    }

    /// <summary>Binds both consoles to the given writers as plain text (no escape codes): used by in-process tests.</summary>
    public static void Use(TextWriter output, TextWriter error) => Bind(output, error, false, false);

    /// <summary>Writes "note: ..." to standard error: something the tool changed or assumed for the user.</summary>
    public static void Note(string message) => ErrWriter.WriteLine($"note: {message}");

    /// <summary>Writes "warning: ..." to standard error: the result may not be what the user wants.</summary>
    public static void Warn(string message) => ErrWriter.WriteLine($"warning: {message}");

    private static void Bind(TextWriter output, TextWriter error, bool outTerminal, bool errTerminal)
    {
        OutWriter = output;
        ErrWriter = error;
        ErrIsTerminal = errTerminal;
        Out = Create(output, outTerminal);
        Err = Create(error, errTerminal);
    }

    private static IAnsiConsole Create(TextWriter writer, bool terminal)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = terminal ? InteractionSupport.Detect : InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        if (!terminal) console.Profile.Width = RedirectedWidth;
        return console;
    }
}
