using System.CommandLine;
using XmrEngine.Inference;
using XmrEngine.IO;
using XmrEngine.Models;
using XmrEngine.Persistence;

namespace XmrEngine.Cli;

/// <summary>Loads a model for the CLI: an XmrEngine model file, or a PECOS XLinearModel directory.</summary>
internal static class ModelFiles
{
    /// <summary>The model's trees (one unless it is an ensemble) and the settings saved with it (PECOS's, or those `xmr train` wrote).</summary>
    public static (XLinearEnsemble Model, ModelMetadata Saved) Load(string path)
    {
        if (Directory.Exists(path))
        {
            var pecos = PecosModelDirectory.Load(path, NpzFormat.ReadCsc);
            return (new XLinearEnsemble(pecos.Model), ModelMetadata.Default with { Prediction = pecos.Options });
        }
        var model = XLinearModelFile.LoadEnsemble(path, out ModelMetadata metadata);
        return (model, metadata);
    }

    /// <summary>
    /// A predictor for <paramref name="path"/> and the prediction settings saved with it. With
    /// <paramref name="mapped"/>, an XmrEngine model file is memory-mapped and served from its compiled
    /// levels (no copy, no compile; files without them fall back to read and compile); otherwise it is
    /// read into managed arrays and compiled. PECOS directories are always read and compiled.
    /// <paramref name="verifyChecksums"/> applies to the mapped path (reading always verifies).
    /// </summary>
    public static (XLinearPredictor Predictor, ModelMetadata Saved) OpenPredictor(string path, bool mapped, bool verifyChecksums = true)
    {
        if (mapped && !Directory.Exists(path))
        {
            var predictor = XLinearModelFile.OpenMapped(path, null, verifyChecksums, out var metadata);
            return (predictor, metadata);
        }
        var (model, saved) = Load(path);
        return (new XLinearPredictor(model, saved.Prediction), saved);
    }

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
