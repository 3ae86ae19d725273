using System.CommandLine;
using System.Diagnostics;
using XmrEngine.Inference;
using XmrEngine.Indexing;
using XmrEngine.Models;
using XmrEngine.Training;
using XmrEngine.Persistence;

namespace XmrEngine.Cli.Commands.Xr;

/// <summary><c>xmr train</c>: build the label tree and train an XR-Linear model (PECOS defaults).</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var x = new Option<string>("-x") { Description = "Features: .npz, or an XMC repository .txt / .svm (then labels are read from it).", Required = true };
        var y = new Option<string?>("-y") { Description = "Labels (.npz); not needed when -x is a .txt/.svm data set." };
        var model = new Option<string>("--model", "-m") { Description = "Output model file.", Required = true };
        var noNormalize = new Option<bool>("--no-normalize") { Description = "Do not L2-normalise the feature rows (of any input format); the model records the choice and predict follows it." };
        var flags = new XLinearTrainingFlags();
        var preset = new Option<string>("--preset")
        {
            Description = "fast (beam 5) | balanced (PECOS's defaults) | quality (cost, trees and beam chosen on 20% of the training rows held out, then trained on all).",
            DefaultValueFactory = _ => "balanced",
        };
        var command = new Command("train", "Train an XR-Linear model: PIFA label embedding, hierarchical k-means tree, one linear model per node.")
        {
            x, y, model, noNormalize, preset,
        };
        flags.AddTo(command, ensembles: true);
        command.SetAction(result =>
        {
            string xPath = result.GetRequiredValue(x), modelPath = result.GetRequiredValue(model);
            var yPath = result.GetValue(y);
            OutputPaths.Check(("-m", modelPath), ("-x", xPath), ("-y", yPath));
            var chosen = TrainingPresets.Parse(result.GetRequiredValue(preset));
            var options = flags.Build(result);
            var (_, k) = flags.Prediction(result);
            int b = chosen.BeamSize(result.GetResult(flags.BeamSize) is { Implicit: false } ? result.GetValue(flags.BeamSize) : null);
            bool normalize = !result.GetValue(noNormalize);
            var sw = Stopwatch.StartNew();
            var (features, labelsFromX) = InputData.Load(xPath, normalize);
            var labels = yPath is not null ? InputData.LoadLabels(yPath)
                : labelsFromX ?? throw new ArgumentException($"-y is required when -x {xPath} is an .npz file (it holds only the features).");
            double loadMs = sw.Elapsed.TotalMilliseconds;
            sw.Restart();
            var prediction = new PredictOptions { BeamSize = b, TopK = k };
            if (chosen == TrainingPreset.Quality)
            {
                var tuning = TuningReport.Run(features, labels, options, TrainingPresets.QualityGrid, TrainingPresets.ValidationFraction, options.Seed);
                options = tuning.Apply(options);
                prediction = tuning.Best.Prediction with { TopK = k };
            }
            var trained = XLinearTrainingFlags.WithProgressBar("indexing labels", progress => XLinearTrainer.TrainEnsemble(features, labels, options, progress));
            XLinearModelWriter.Save(modelPath, trained, options, prediction, normalize, features, labels.Cols, loadMs, sw.Elapsed.TotalMilliseconds,
                chosen == TrainingPreset.Balanced ? null : chosen.ToName());
            return 0;
        });
        return command;
    }
}
