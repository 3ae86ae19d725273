using XmrEngine.Inference;
using XmrEngine.IO;
using XmrEngine.Serving;
using XmrEngine.Sparse;

namespace XmrEngine.Cli.Commands.Xr;

/// <summary>
/// <c>xmr predict --selected-outputs P.npz</c>: reads the row/label pairs to score and checks them against the
/// queries and the model before any scoring, so a mismatch names the file and the dimension.
/// </summary>
internal static class SelectedOutputsInput
{
    public static CsrMatrix Score(XLinearServingModel model, CsrMatrix features, string path, string modelPath, PredictOptions options, int threads)
    {
        if (model.IsSharded || model.Predictor is not XLinearPredictor)
            throw new ArgumentException($"--selected-outputs needs a model file or PECOS directory; -m {modelPath} is {(model.IsSharded ? "sharded" : model.OpenedAs)}.");
        if (model.TreeCount > 1 && options.Combination == EnsembleCombination.ReciprocalRank)
            throw new ArgumentException("--selected-outputs combines an ensemble's trees by --combination average or max, not rank (ranks exist only within a beam's list).");
        var selected = NpzFormat.ReadCsr(path);
        if (selected.Rows != features.Rows)
            throw new ArgumentException($"--selected-outputs {path}: has {selected.Rows:N0} rows but -x has {features.Rows:N0}; give one row of labels per query.");
        if (selected.Cols != model.LabelCount)
            throw new ArgumentException($"--selected-outputs {path}: has {selected.Cols:N0} label columns but the model has {model.LabelCount:N0} labels.");
        return model.PredictSelected(features, selected, options.PostProcessor, threads, normalize: false, options.Combination);
    }
}
