using System.CommandLine;

namespace XmrEngine.Cli.Commands.Qac;

/// <summary><c>xmr qac</c>: session-aware query auto-completion (train, suggest, evaluate).</summary>
internal static class QacCommand
{
    public static Command Create() =>
        new("qac", "Session-aware query auto-completion (Yadav et al., KDD 2021): previous query + typed prefix -> next query.")
        {
            QacTrainCommand.Create(),
            QacSuggestCommand.Create(),
            QacEvaluateCommand.Create(),
        };
}
