using System.CommandLine;
using XmrEngine.Persistence;

namespace XmrEngine.Cli.Commands.Xr;

/// <summary><c>xmr export -m MODEL --pecos DIR</c>: write a one-tree model as a PECOS XLinearModel folder PECOS loads and predicts with.</summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model", "-m") { Description = "A one-tree XmrEngine model file (xmr train).", Required = true };
        var pecos = new Option<string>("--pecos") { Description = "The PECOS XLinearModel folder to write (new; XLinearModel.load(DIR) in PECOS reads it).", Required = true };
        var command = new Command("export", "Write a model in another engine's format: --pecos DIR for PECOS's XLinearModel (same weights, tree and prediction settings).") { model, pecos };
        command.SetAction(result =>
        {
            string modelPath = result.GetRequiredValue(model), outPath = result.GetRequiredValue(pecos);
            OutputPaths.Check(("--pecos", outPath), ("-m", modelPath));
            if (Directory.Exists(modelPath))
                throw new ArgumentException($"-m {modelPath}: is a directory; xmr export writes an XmrEngine model file (.xmr) in PECOS's format.");
            if (Directory.Exists(outPath) || File.Exists(outPath))
                throw new ArgumentException($"--pecos {outPath}: already exists; the export writes a new folder.");
            var ensemble = XLinearModelFile.LoadEnsemble(modelPath, out var metadata);
            if (ensemble.Trees.Count > 1)
                throw new ArgumentException($"-m {modelPath}: is an ensemble of {ensemble.Trees.Count} trees; PECOS's XLinearModel holds one tree (train with --trees 1).");
            var tree = ensemble.Trees[0];
            PecosModelWriter.Save(outPath, tree, metadata.Prediction);
            CliConsole.OutWriter.WriteLine($"exported {modelPath} ({tree.LabelCount:N0} labels, {tree.Chain.Depth} levels, beam {metadata.Prediction.BeamSize}, top-k {metadata.Prediction.TopK}, " +
                                           $"{metadata.Prediction.PostProcessor.Name}) as a PECOS XLinearModel in {outPath}");
            // PECOS predicts on the rows it is given; xmr's model prepares raw rows itself, so say what PECOS must be fed.
            if (metadata.NormalizeRows == true)
                CliConsole.Note("the model was trained on L2-normalised rows: give PECOS L2-normalised feature rows (xmr predict does this itself).");
            return 0;
        });
        return command;
    }
}
