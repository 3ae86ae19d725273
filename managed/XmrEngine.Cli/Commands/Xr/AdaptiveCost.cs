using System.CommandLine;
using XmrEngine.Sparse;
using XmrEngine.Training;

namespace XmrEngine.Cli.Commands.Xr;

/// <summary>
/// The front end of the fast and balanced presets' cost choice (<see cref="HeldOutCostChoice"/>, the library's cheap
/// version of the quality preset's tuning): whether it runs (<c>--no-adapt</c>, a given --Cp or --Cn, the row count),
/// and the line it prints.
/// </summary>
internal static class AdaptiveCost
{
    /// <summary>The <c>--no-adapt</c> flag of the training verbs that choose the cost.</summary>
    public static Option<bool> NoAdaptOption() => new("--no-adapt")
    {
        Description = $"Train Cp = Cn = 1 as given instead of choosing the costs (Cp = Cn = 0.35, Cp = Cn = 1, or Cp = 4 with Cn = 1) on 20% of the training rows held out " +
                      $"(done when there are {HeldOutCostChoice.MinRows:N0} to {HeldOutCostChoice.MaxRows:N0} rows and neither --Cp nor --Cn is given; " +
                      "about two more fits; the choice is saved in the model).",
    };

    /// <summary>Whether the run chooses its cost: neither --Cp nor --Cn nor --no-adapt given, and a row count the choice is worth it for.</summary>
    public static bool Applies(ParseResult result, XLinearTrainingFlags flags, Option<bool> noAdapt, int rows) =>
        result.GetResult(flags.Cp) is not { Implicit: false } && result.GetResult(flags.Cn) is not { Implicit: false } && !result.GetValue(noAdapt)
        && HeldOutCostChoice.AppliesTo(rows);

    /// <summary>Chooses the costs (<see cref="HeldOutCostChoice"/>), prints how, and returns the options and the line the model records.</summary>
    public static (XLinearTrainOptions Options, string Choice) Choose(CsrMatrix features, CsrMatrix labels, XLinearTrainOptions options)
    {
        var choice = HeldOutCostChoice.Choose(features, labels, options);
        CliConsole.ErrWriter.WriteLine($"cost: {choice.Description}");
        return (choice.Options, choice.Description);
    }
}
