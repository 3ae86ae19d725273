using System.CommandLine;
using XmrEngine.IO;
using XmrEngine.Kernels;

namespace XmrEngine.Cli;

/// <summary>
/// Runs the parsed command and turns the library's expected failures (bad files, bad options,
/// unavailable backends) into one "error:" line on stderr and exit code 2, instead of a stack trace.
/// </summary>
internal static class CliRunner
{
    public static int Run(RootCommand root, string[] args)
    {
        try
        {
            return root.Parse(args).Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception ex) when (IsUserError(ex))
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            return 2;
        }
    }

    private static bool IsUserError(Exception ex) =>
        ex is IOException or UnauthorizedAccessException or ArgumentException or FormatException
            or InvalidDataException or KernelUnavailableException or OperationCanceledException or XmrDataException;
}
