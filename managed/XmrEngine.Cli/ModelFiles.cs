using System.CommandLine;

namespace XmrEngine.Cli;

/// <summary>The CLI's <c>--load</c> flag; how a model path is opened is the model's own business (<see cref="Serving.XLinearModelFormat"/>).</summary>
internal static class ModelFiles
{
    /// <summary>The <c>--load</c> option: how a model file is opened for prediction.</summary>
    public static Option<string> LoadModeOption() => new("--load")
    {
        Description = "How to open an XmrEngine model file: mapped (memory-map and score from the compiled levels in the file; default) or read (read into memory and compile).",
        DefaultValueFactory = _ => "mapped",
    };

    /// <summary>True for <c>--load mapped</c>, false for <c>--load read</c>.</summary>
    public static bool IsMapped(ParseResult result, Option<string> option) => result.GetValue(option) switch
    {
        "mapped" => true,
        "read" => false,
        var other => throw new ArgumentException($"--load must be 'mapped' or 'read'; got '{other}'."),
    };
}
