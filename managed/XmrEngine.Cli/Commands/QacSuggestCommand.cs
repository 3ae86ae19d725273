using System.CommandLine;
using XmrEngine.Apps.AutoComplete;

namespace XmrEngine.Cli.Commands;

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
            var qac = QacModelFile.Load(result.GetRequiredValue(model));
            if (result.GetValue(interactive))
            {
                if (Console.IsInputRedirected) QacInteractive.RunLines(qac, Console.In, CliConsole.OutWriter, k);
                else QacInteractive.RunKeys(qac, result.GetValue(previous), k);
                return 0;
            }
            var typed = result.GetValue(prefix) ?? throw new ArgumentException("--prefix is required unless --interactive is given.");
            foreach (var s in qac.Suggest(result.GetValue(previous), typed, k))
                CliConsole.OutWriter.WriteLine($"{s.Query}\t{s.Score:G4}\t{(s.Source == QacSuggestionSource.Model ? "model" : "popular")}");
            return 0;
        });
        return command;
    }
}
