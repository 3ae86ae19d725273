using System.Diagnostics;
using System.Text;
using XmrEngine.Apps.AutoComplete;

namespace XmrEngine.Cli.Commands.Qac;

/// <summary>The two interactive modes of <c>xmr qac suggest --interactive</c>.</summary>
internal static class QacInteractive
{
    /// <summary>
    /// Redirected input: each line is <c>prev&lt;TAB&gt;prefix</c> (no tab: no previous query, the line is the
    /// prefix); each answer is one line, the suggestions separated by tabs (empty when there are none).
    /// </summary>
    public static void RunLines(QacModel model, TextReader input, TextWriter output, int count)
    {
        string? line;
        while ((line = input.ReadLine()) is not null)
        {
            if (line.EndsWith('\r')) line = line[..^1];
            int tab = line.IndexOf('\t');
            string? previous = tab < 0 ? null : line[..tab];
            string prefix = tab < 0 ? line : line[(tab + 1)..];
            output.WriteLine(string.Join('\t', model.Suggest(previous, prefix, count).Select(s => s.Query)));
        }
        output.Flush();
    }

    /// <summary>
    /// Terminal input: redraws the suggestions after every key. Printable keys type, Backspace deletes,
    /// Tab takes the top suggestion, Enter submits the typed query (it becomes the previous query), Escape quits.
    /// </summary>
    public static void RunKeys(QacModel model, string? previous, int count)
    {
        var typed = new StringBuilder();
        QacSuggestion[] suggestions = [];
        double ms = 0;
        while (true)
        {
            var sw = Stopwatch.StartNew();
            suggestions = model.Suggest(previous, typed.ToString(), count);
            ms = sw.Elapsed.TotalMilliseconds;
            Draw(previous, typed.ToString(), suggestions, ms);
            var key = Console.ReadKey(intercept: true);
            switch (key.Key)
            {
                case ConsoleKey.Escape:
                    Console.WriteLine();
                    return;
                case ConsoleKey.Backspace:
                    if (typed.Length > 0) typed.Length--;
                    break;
                case ConsoleKey.Tab:
                    if (suggestions.Length > 0) typed.Clear().Append(suggestions[0].Query);
                    break;
                case ConsoleKey.Enter:
                    if (QueryText.Clean(typed.ToString()) is string submitted) previous = submitted;
                    typed.Clear();
                    break;
                default:
                    if (!char.IsControl(key.KeyChar)) typed.Append(key.KeyChar);
                    break;
            }
        }
    }

    private static void Draw(string? previous, string typed, QacSuggestion[] suggestions, double ms)
    {
        Console.Clear();
        Console.WriteLine("xmr qac — type a query; Tab: take the top suggestion, Enter: submit, Esc: quit");
        Console.WriteLine($"previous: {previous ?? "(none)"}");
        Console.WriteLine($"> {typed}");
        Console.WriteLine();
        for (int i = 0; i < suggestions.Length; i++)
            Console.WriteLine($"{i + 1,2}. {suggestions[i].Query}  ({suggestions[i].Source.ToName()}{(suggestions[i].Fused ? $", {suggestions[i].Score.ToString("F3", System.Globalization.CultureInfo.InvariantCulture)}" : "")})");
        Console.WriteLine();
        Console.Write($"{ms:F2} ms");
        Console.SetCursorPosition(Math.Min(2 + typed.Length, Math.Max(0, Console.BufferWidth - 1)), 2);
    }
}
