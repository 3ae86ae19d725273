using XmrEngine.Inference;
using XmrEngine.Kernels;
using XmrEngine.Models;
using XmrEngine.Persistence;
using XmrEngine.Sparse;
using XmrEngine.Training;

namespace XmrEngine.Cli.Commands.Xr;

/// <summary>Saves what `xmr train`, `xmr tune` and `xmr cluster train` trained, with the metadata predict reads back, and prints the summary line.</summary>
internal static class XLinearModelWriter
{
    /// <summary>
    /// Saves <paramref name="trained"/> with its training record (the one the library attached, named
    /// <paramref name="preset"/> when given, with how settings were chosen on held-out rows, <paramref name="choice"/>) and
    /// <paramref name="prediction"/> as the prediction defaults, its weights stored at <paramref name="precision"/>, and
    /// <paramref name="calibration"/> when the run calibrated the scores.
    /// </summary>
    /// <exception cref="InvalidOperationException">The model carries no training record, or it was mined with another beam than
    /// <paramref name="prediction"/>'s (a bug of the calling verb: the file must store the beam training used).</exception>
    public static void Save(string modelPath, XLinearEnsemble trained, PredictOptions prediction, bool normalize,
        CsrMatrix features, int labelCount, double loadMs, double trainMs, int threads, string? preset = null, string? choice = null,
        WeightPrecision precision = WeightPrecision.Float32, ScoreCalibration? calibration = null)
    {
        var record = TrainingRecord.Of(trained) ?? throw new InvalidOperationException("the trained model carries no training record.");
        if (record.ManBeamSize is { } mined && mined != prediction.BeamSize)
            throw new InvalidOperationException($"MAN negatives were mined with beam {mined} but the model would be saved with beam {prediction.BeamSize}.");
        var metadata = new ModelMetadata
        {
            Prediction = prediction,
            NormalizeRows = normalize,
            TrainingRowNorm = InputData.MedianRowNorm(features),
            Training = record with { Preset = preset, Choice = choice },
            Calibration = calibration,
        };
        if (precision == WeightPrecision.Float32) XLinearModelFile.Save(modelPath, trained, metadata, threads: threads);
        else XLinearModelFile.SaveQuantized(modelPath, trained, precision, metadata, threads);
        long nnz = trained.Trees.Sum(tree => tree.Weights.Sum(w => w.Nnz));
        string shape = trained.Trees.Count == 1 ? $"depth {trained.Trees[0].Chain.Depth}" : $"{trained.Trees.Count} trees of depth {string.Join("/", trained.Trees.Select(tree => tree.Chain.Depth).Distinct())}";
        CliConsole.OutWriter.WriteLine($"trained {features.Rows:N0} x {features.Cols:N0} features (rows {(normalize ? "L2-normalised" : "as given")}), {labelCount:N0} labels, {shape}, " +
                                       $"{nnz:N0} weights into {modelPath}{(precision == WeightPrecision.Float32 ? "" : $" ({PrecisionOption.Name(precision)})")}; load {loadMs:F0} ms, train {trainMs:F0} ms");
    }
}
