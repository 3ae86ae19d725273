using System.CommandLine;
using System.Globalization;
using XmrEngine.Apps.AutoComplete;

namespace XmrEngine.Cli.Commands.Qac;

/// <summary><c>xmr qac suggest</c>: completions for one (previous, prefix), or an interactive session.</summary>
internal static class QacSuggestCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model", "-m") { Description = "Model directory from xmr qac train.", Required = true };
        var previous = new Option<string?>("--prev") { Description = "The previous query of the session (omit for none)." };
        var prefix = new Option<string?>("--prefix") { Description = "What the user has typed so far." };
        var interactive = new Option<bool>("--interactive") { Description = "Type and see suggestions per keystroke (terminal), or read 'prev<TAB>prefix' lines (redirected stdin)." };
        var count = new Option<int>("-k") { Description = "Suggestions to show.", DefaultValueFactory = _ => 10 };
        var command = new Command("suggest", "Suggest completions of a prefix given the previous query.") { model, previous, prefix, interactive, count };
        command.SetAction(result =>
        {
            int k = result.GetValue(count);
            if (k < 1) throw new ArgumentException($"-k must be positive; got {k}.");
            var qac = QacModel.Load(result.GetRequiredValue(model));
            k = CommonOptions.CapK(k, qac.Labels.Count, "-k", "labels of the model");
            // A fused model ranks its whole merged pool; only the older ranking fills from a fixed-size popular list.
            if (qac.Ranker is null && k > qac.MostPopular.ListSize)
                CliConsole.Note($"most-popular completion fills at most {qac.MostPopular.ListSize} places; the rest come from the model only.");
            if (result.GetValue(interactive))
            {
                if (Console.IsInputRedirected) QacInteractive.RunLines(qac, Console.In, CliConsole.OutWriter, k);
                else QacInteractive.RunKeys(qac, result.GetValue(previous), k);
                return 0;
            }
            var typed = result.GetValue(prefix) ?? throw new ArgumentException("--prefix is required unless --interactive is given.");
            WriteSuggestions(CliConsole.OutWriter, qac.Suggest(result.GetValue(previous), typed, k));
            return 0;
        });
        return command;
    }

    /// <summary>
    /// A header, then one tab-separated line per suggestion: the query, the sources that proposed it (joined by '+'),
    /// the fusion ranker's score (empty for a model without a ranker), the model's beam-search score (empty when the
    /// beam did not propose it) and the query's training count. Scores and counts are different quantities, so they
    /// get separate columns.
    /// </summary>
    internal static void WriteSuggestions(TextWriter output, IReadOnlyList<QacSuggestion> suggestions)
    {
        var c = CultureInfo.InvariantCulture;
        output.WriteLine("query\tsource\tfused\tmodel\tcount");
        foreach (var s in suggestions)
        {
            string fused = s.Fused ? s.Score.ToString("G5", c) : "";
            string model = s.ModelScore is { } m ? m.ToString("G5", c) : "";
            output.WriteLine($"{s.Query}\t{s.Source.ToName()}\t{fused}\t{model}\t{s.Count.ToString(c)}");
        }
    }
}
