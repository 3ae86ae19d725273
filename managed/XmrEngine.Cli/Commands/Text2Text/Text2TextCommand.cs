using System.CommandLine;

namespace XmrEngine.Cli.Commands.Text2Text;

/// <summary><c>xmr text2text</c>: query-to-product retrieval (PECOS text2text): train, predict, evaluate, prepare-homedepot, prepare-aol.</summary>
internal static class Text2TextCommand
{
    public static Command Create() => new("text2text", "Text-to-item retrieval (product search): TF-IDF words + char 3-grams, XR-Linear, beam search blended with a title index.")
    {
        Text2TextTrainCommand.Create(),
        Text2TextPredictCommand.Create(),
        Text2TextEvaluateCommand.Create(),
        Text2TextPrepareCommand.Create(),
        Text2TextPrepareAolCommand.Create(),
    };
}
