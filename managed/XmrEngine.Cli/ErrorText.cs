using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace XmrEngine.Cli;

/// <summary>
/// Turns an exception into the one line the CLI prints: no .NET parameter suffixes or "Actual value was"
/// lines, the library's option names (<c>HierarchicalKMeansOptions.NrSplits</c>) replaced by the flag the
/// user typed (<c>--nr-splits</c>), and control bytes (from a binary file fed as text) shown as <c>\xNN</c>
/// instead of being echoed to the terminal.
/// </summary>
internal static partial class ErrorText
{
    private const int MaxLength = 600;

    /// <summary>Library option properties whose flag is not the kebab-case of their name.</summary>
    private static readonly Dictionary<string, string> FlagAliases = new(StringComparer.Ordinal)
    {
        ["ManBeamSize"] = "--beam-size",
        ["MaxUsers"] = "--users",
    };

    /// <summary>The message of <paramref name="ex"/> as one clean line, naming <paramref name="command"/>'s flag when the exception is about one.</summary>
    public static string Describe(Exception ex, Command command)
    {
        string message = ex.Message;
        if (ex is ArgumentException { ParamName: { } param })
        {
            message = message.Replace($" (Parameter '{param}')", "", StringComparison.Ordinal);
            if (FlagFor(param, command) is { } flag)
            {
                // "XLinearTrainOptions.Cp must be ..." -> "--Cp must be ..."; otherwise prefix the flag.
                string renamed = QualifiedName(param).Replace(message, flag, 1);
                message = renamed != message ? renamed : $"{flag}: {message}";
            }
        }
        if (ex is OutOfMemoryException) message = $"not enough memory for this request ({message})";
        return Clean(message);
    }

    /// <summary>First line only, control characters escaped, length capped.</summary>
    public static string Clean(string message)
    {
        int newline = message.IndexOfAny(['\r', '\n']);
        if (newline >= 0) message = message[..newline];
        var sb = new StringBuilder(Math.Min(message.Length, MaxLength + 16));
        foreach (char c in message)
        {
            if (sb.Length >= MaxLength)
            {
                sb.Append("...");
                break;
            }
            if (char.IsControl(c) || c == '\uFFFD') sb.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:X2}");
            else sb.Append(c);
        }
        return sb.ToString().TrimEnd();
    }

    /// <summary>The flag of <paramref name="command"/> that sets the library property <paramref name="param"/>, if any.</summary>
    private static string? FlagFor(string param, Command command)
    {
        string wanted = FlagAliases.TryGetValue(param, out var alias) ? alias : "--" + Kebab(param);
        foreach (var option in command.Options)
        {
            if (string.Equals(option.Name, wanted, StringComparison.OrdinalIgnoreCase)) return option.Name;
            foreach (var a in option.Aliases)
                if (string.Equals(a, wanted, StringComparison.OrdinalIgnoreCase)) return a;
        }
        return null;
    }

    private static Regex QualifiedName(string param) => new($@"\b\w+Options\.{Regex.Escape(param)}\b|\b{Regex.Escape(param)}\b(?= must)");

    private static string Kebab(string pascal) => PascalBoundary().Replace(pascal, "-$1").ToLowerInvariant();

    [GeneratedRegex("(?<=[a-z0-9])([A-Z])")]
    private static partial Regex PascalBoundary();
}
