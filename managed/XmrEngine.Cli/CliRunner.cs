using System.CommandLine;
using System.CommandLine.Parsing;
using XmrEngine.IO;
using XmrEngine.Kernels;

namespace XmrEngine.Cli;

/// <summary>
/// Parses and runs one <c>xmr</c> command line. Every failure the user can cause — a usage error (unknown
/// flag, missing option), a bad option value, a malformed or unwritable file, an unavailable backend —
/// prints exactly one <c>error:</c> line on standard error that names the option or file, and exits 2.
/// Anything else is a bug in xmr: one <c>internal error:</c> line and exit 3 (the stack trace with
/// <c>XMR_DEBUG=1</c>).
/// </summary>
internal static class CliRunner
{
    /// <summary>Exit code for usage and input errors.</summary>
    public const int UserError = 2;

    /// <summary>Exit code for failures that are bugs in xmr.</summary>
    public const int InternalError = 3;

    /// <summary>Builds the command tree: every verb in <see cref="CommandCatalog"/>.</summary>
    public static RootCommand CreateRoot()
    {
        var root = new RootCommand("xmr: extreme multi-label ranking (XR-Linear) — train, predict, evaluate, convert and inspect data.");
        foreach (var command in CommandCatalog.All()) root.Subcommands.Add(command);
        return root;
    }

    /// <summary>Runs <paramref name="args"/> against the streams bound in <see cref="CliConsole"/>; returns the exit code.</summary>
    public static int Run(string[] args)
    {
        var parsed = CreateRoot().Parse(args);
        if (parsed.Errors.Count > 0)
        {
            CliConsole.ErrWriter.WriteLine($"error: {ErrorText.Clean(parsed.Errors[0].Message)} (see '{CommandPath(parsed)} --help')");
            return UserError;
        }
        // A bad XMR_SIMD fails before any work, like a bad XMR_BACKEND; `info` shows it instead (it is where a user checks the setup).
        if (XmrEngine.Kernels.SimdSelection.EnvironmentError is { } simdError && parsed.CommandResult.Command.Name != "info")
        {
            CliConsole.ErrWriter.WriteLine($"error: {ErrorText.Clean(simdError)}");
            return UserError;
        }
        try
        {
            return parsed.Invoke(new InvocationConfiguration
            {
                EnableDefaultExceptionHandler = false,
                Output = CliConsole.OutWriter,
                Error = CliConsole.ErrWriter,
            });
        }
        catch (Exception ex) when (IsUserError(ex))
        {
            CliConsole.ErrWriter.WriteLine($"error: {ErrorText.Describe(ex, parsed.CommandResult.Command)}");
            return UserError;
        }
        catch (Exception ex)
        {
            bool debug = Environment.GetEnvironmentVariable("XMR_DEBUG") == "1";
            CliConsole.ErrWriter.WriteLine($"internal error: {ex.GetType().Name}: {ErrorText.Clean(ex.Message)}" +
                                           (debug ? Environment.NewLine + ex : " (set XMR_DEBUG=1 for the stack trace)"));
            return InternalError;
        }
    }

    // FormatException and InvalidDataException are not listed: the library reports every bad file as
    // XmrDataException (wrapping the runtime's zip/deflate/JSON errors), and no CLI code parses text with
    // methods that raise them, so one of them reaching here is a bug to report as an internal error.
    private static bool IsUserError(Exception ex) =>
        ex is IOException or UnauthorizedAccessException or ArgumentException
            or KernelUnavailableException or OperationCanceledException or XmrDataException or OutOfMemoryException;

    /// <summary>"xmr qac train" for the command that was parsed.</summary>
    private static string CommandPath(ParseResult parsed)
    {
        var names = new List<string>();
        for (SymbolResult? r = parsed.CommandResult; r is CommandResult c; r = c.Parent)
            names.Insert(0, c.Parent is null ? "xmr" : c.Command.Name);
        return string.Join(' ', names);
    }
}
