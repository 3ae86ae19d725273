using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using XmrEngine.Evaluation;
using XmrEngine.Inference;
using XmrEngine.Training;

namespace XmrEngine.Cli.Commands.Xr;

/// <summary>
/// <c>xmr tune</c>: choose the cost, the number of trees and the beam on held-out training rows, train the
/// choice on every training row and save it. A test file, if given, is read only after the model is saved,
/// to report its precision; nothing about the choice can depend on it.
/// </summary>
internal static class TuneCommand
{
    public static Command Create()
    {
        var input = new TrainingInput();
        var costs = new Option<string>("--costs") { Description = "Costs tried, each as Cp = Cn (comma-separated).", DefaultValueFactory = _ => "0.35,0.5,1,2" };
        var maxTrees = new Option<int>("--max-trees") { Description = "Largest ensemble tried; every count from 1 up is scored.", DefaultValueFactory = _ => 3 };
        var beams = new Option<string>("--beams") { Description = "Beam sizes tried (comma-separated).", DefaultValueFactory = _ => "10,20" };
        var posts = new Option<string>("--post-processors") { Description = "Post-processors tried (comma-separated).", DefaultValueFactory = _ => "l3-hinge" };
        var fraction = new Option<double>("--validation-fraction") { Description = "Share of the training rows held out to score the grid.", DefaultValueFactory = _ => TrainingPresets.ValidationFraction };
        var test = new Option<string?>("--test") { Description = "A test set (.txt/.svm) scored with the saved model at the very end, for the report only." };
        var flags = new XLinearTrainingFlags();
        // PECOS's solver tolerance, as the quality preset (which runs the same grid) uses: tuning is for accuracy.
        flags.Eps.DefaultValueFactory = _ => new XLinearTrainOptions().Eps;
        var command = new Command("tune", "Choose cost, trees and beam on held-out training rows (never on the test set), then train the choice on all rows.");
        input.AddTo(command);
        foreach (Option o in new Option[] { costs, maxTrees, beams, posts, fraction, test }) command.Options.Add(o);
        flags.AddTo(command);
        command.SetAction(result =>
        {
            var testPath = result.GetValue(test);
            string modelPath = input.CheckedModelPath(result, ("--test", testPath));
            var grid = new TuningGrid
            {
                Costs = ParseList(result.GetRequiredValue(costs), "--costs", s => double.Parse(s, CultureInfo.InvariantCulture)),
                MaxTrees = result.GetValue(maxTrees),
                BeamSizes = ParseList(result.GetRequiredValue(beams), "--beams", s => int.Parse(s, CultureInfo.InvariantCulture)),
                PostProcessors = ParseList(result.GetRequiredValue(posts), "--post-processors", PostProcessor.Parse),
            };
            // Checked here first so the messages name the flags; Validate then guards the library's own rules.
            if (grid.Costs.Any(c => !(c > 0) || double.IsInfinity(c)))
                throw new ArgumentException($"--costs must be positive, finite numbers; got '{result.GetRequiredValue(costs)}'.");
            if (grid.MaxTrees < 1) throw new ArgumentException($"--max-trees must be at least 1; got {grid.MaxTrees}.");
            if (grid.BeamSizes.Any(b => b < 1)) throw new ArgumentException($"--beams must be at least 1 each; got '{result.GetRequiredValue(beams)}'.");
            grid.Validate();
            var options = flags.Build(result);
            var (_, k) = flags.Prediction(result);
            var (features, labels, normalize, loadMs) = input.Load(result);
            var sw = Stopwatch.StartNew();
            var tuning = TuningReport.Run(features, labels, options, grid, result.GetValue(fraction), options.Seed);
            options = tuning.Apply(options);
            var prediction = tuning.Best.Prediction with { TopK = k };
            var trained = XLinearTrainingFlags.WithProgressBar("training the choice on every row", progress => XLinearTrainer.TrainEnsemble(features, labels, options, progress));
            XLinearModelWriter.Save(modelPath, trained, prediction, normalize, features, labels.Cols, loadMs, sw.Elapsed.TotalMilliseconds, options.Threads, "tuned");
            if (testPath is not null)
            {
                // Read only now: the model is chosen and saved, so the test set cannot have influenced it.
                var (testFeatures, testLabels) = InputData.Load(testPath, normalize);
                if (testLabels is null) throw new ArgumentException($"--test {testPath} must be a .txt or .svm data set with labels.");
                var predicted = new XLinearPredictor(trained, prediction).Predict(testFeatures, prediction with { TopK = 5 }, options.Threads);
                var p = XmcMetrics.Evaluate(testLabels, predicted, 5).PrecisionAtK;
                CliConsole.OutWriter.WriteLine($"test {testPath}: P@1/3/5 {100 * p[0]:F2} / {100 * p[2]:F2} / {100 * p[4]:F2}");
            }
            return 0;
        });
        return command;
    }

    private static IReadOnlyList<T> ParseList<T>(string text, string flag, Func<string, T> parse)
    {
        try
        {
            return text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(parse).ToArray();
        }
        catch (Exception ex) when (ex is FormatException or OverflowException or ArgumentException)
        {
            // An ArgumentException's message ends in "(Parameter 'x')", which means nothing on a command line.
            string message = ex is ArgumentException { ParamName: { } name } ? ex.Message.Replace($" (Parameter '{name}')", "") : ex.Message;
            throw new ArgumentException($"{flag} '{text}': {message}", ex);
        }
    }
}
