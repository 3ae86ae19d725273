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
    public static CsrMatrix Score(XLinearServingModel model, CsrMatrix features, string path, string modelPath, PostProcessor post, int threads)
    {
        if (model.IsSharded || model.TreeCount != 1 || model.Predictor is not XLinearPredictor)
            throw new ArgumentException($"--selected-outputs needs a one-tree model file or PECOS directory; -m {modelPath} is {(model.IsSharded ? "sharded" : model.TreeCount > 1 ? $"an ensemble of {model.TreeCount} trees" : model.OpenedAs)}.");
        var selected = NpzFormat.ReadCsr(path);
        if (selected.Rows != features.Rows)
            throw new ArgumentException($"--selected-outputs {path}: has {selected.Rows:N0} rows but -x has {features.Rows:N0}; give one row of labels per query.");
        if (selected.Cols != model.LabelCount)
            throw new ArgumentException($"--selected-outputs {path}: has {selected.Cols:N0} label columns but the model has {model.LabelCount:N0} labels.");
        return model.PredictSelected(features, selected, post, threads, normalize: false);
    }
}
