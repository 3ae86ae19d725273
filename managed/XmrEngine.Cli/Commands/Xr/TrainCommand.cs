using System.CommandLine;
using System.Diagnostics;
using XmrEngine.Inference;
using XmrEngine.Persistence;
using XmrEngine.Training;

namespace XmrEngine.Cli.Commands.Xr;

/// <summary><c>xmr train</c>: build the label tree and train an XR-Linear model (a preset's settings, by default PECOS's solver on the recommended tree).</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var input = new TrainingInput();
        var flags = new XLinearTrainingFlags();
        var preset = new Option<string>("--preset")
        {
            Description = "fast (balanced with beam 5) | balanced (PECOS's beam, solver tolerance 0.3, on a 64-way tree with labels without features gathered last; Cp and Cn chosen on 20% of the training rows held out, see --no-adapt) | quality (PECOS's tolerance; cost, trees and beam chosen on 20% of the training rows held out, then trained on all) | pecos (PECOS's defaults: 16-way tree, tolerance 0.1, and PECOS's own arithmetic: the model PECOS trains).",
            DefaultValueFactory = _ => "balanced",
        };
        var checkpoint = new Option<string?>("--checkpoint")
        {
            Description = "Keep each built tree and each trained level in this folder while training (removed once the model is saved), so a killed run can continue with --resume.",
        };
        var resume = new Option<bool>("--resume")
        {
            Description = "Continue the training a killed run left in --checkpoint (default MODEL.checkpoint); same data and flags required; the model is the one an uninterrupted run writes.",
        };
        var manPost = new Option<string>("--man-post-processor")
        {
            Description = "The scores MAN negatives are mined by (PECOS's train -pp): l3-hinge (the default), noop (each node's own score), sigmoid, ...",
            DefaultValueFactory = _ => "l3-hinge",
        };
        var fixedCost = AdaptiveCost.NoAdaptOption();
        var relevanceFlags = new RelevanceFlags();
        var codePath = GivenTree.CreateOption();
        var precision = PrecisionOption.Create(allowFloat32: true);
        var calibrate = CalibrationFlags.CalibrateOption();
        var command = new Command("train", "Train an XR-Linear model: PIFA label embedding, hierarchical k-means tree, one linear model per node.");
        input.AddTo(command);
        command.Options.Add(preset);
        command.Options.Add(checkpoint);
        command.Options.Add(resume);
        command.Options.Add(fixedCost);
        command.Options.Add(manPost);
        flags.AddTo(command, ensembles: true);
        relevanceFlags.AddTo(command);
        command.Options.Add(codePath);
        command.Options.Add(precision);
        command.Options.Add(calibrate);
        command.SetAction(result =>
        {
            string modelPath = input.CheckedModelPath(result);
            var weightPrecision = PrecisionOption.Parse(result.GetRequiredValue(precision));
            var chosen = TrainingPresets.Parse(result.GetRequiredValue(preset));
            if (chosen == TrainingPreset.Quality)
            {
                // The quality preset chooses these itself; a value given beside it would be silently overridden.
                var given = new Option[] { flags.Cp, flags.Cn, flags.Trees, flags.BeamSize }.Where(o => result.GetResult(o) is { Implicit: false }).Select(o => o.Name).ToArray();
                if (given.Length > 0)
                    throw new ArgumentException($"--preset quality chooses --Cp, --Cn, --trees and --beam-size on held-out rows; leave out {string.Join(", ", given)}, or run `xmr tune` with your own grid.");
            }
            // One beam, whichever way it is chosen (--beam-size, the preset, the quality preset's tuning): MAN negatives
            // are mined with options.ManBeamSize and the file saves the same value as the prediction beam.
            var options = chosen.WithExactness(flags.Build(result, chosen.Tree(), chosen.Eps(), chosen.BeamSize()));
            string minedBy = result.GetRequiredValue(manPost);
            if (!PostProcessor.TryParse(minedBy, out var minePost))
                throw new ArgumentException($"--man-post-processor must be noop, sigmoid, log-sigmoid, l<p>-hinge or log-l<p>-hinge; got '{minedBy}'.");
            options = options with { ManPostProcessor = minePost };
            var (_, k) = flags.Prediction(result);
            var (features, labels, normalize, loadMs) = input.Load(result);
            options = options with { Relevance = relevanceFlags.Read(result, labels) };
            var givenTree = GivenTree.Read(result, codePath, labels, options, result.GetValue(resume) || result.GetValue(checkpoint) is not null, chosen == TrainingPreset.Quality);
            var sw = Stopwatch.StartNew();
            var prediction = new PredictOptions { BeamSize = options.ManBeamSize, TopK = k };
            string? choice = null;
            // A given tree is the user's: the choice would build and choose on a tree of its own, so the costs are kept.
            if (chosen.ChoosesCost() && givenTree is null && AdaptiveCost.Applies(result, flags, fixedCost, features.Rows))
                (options, choice) = AdaptiveCost.Choose(features, labels, options);
            if (chosen == TrainingPreset.Quality)
            {
                var tuning = TuningReport.Run(features, labels, options, TrainingPresets.QualityGrid, TrainingPresets.ValidationFraction, options.Seed);
                options = tuning.Apply(options);
                prediction = tuning.Best.Prediction with { TopK = k };
            }
            // Fitted before the kept model trains, on a model of the same options that has not seen the held-out rows.
            var calibration = result.GetValue(calibrate) ? CalibrationFlags.Fit(features, labels, options, prediction) : null;
            bool resuming = result.GetValue(resume);
            string? checkpointPath = result.GetValue(checkpoint) ?? (resuming ? modelPath + ".checkpoint" : null);
            var store = checkpointPath is null ? null
                : resuming ? TrainingCheckpointDirectory.Resume(checkpointPath, features, labels, options)
                : TrainingCheckpointDirectory.Create(checkpointPath, features, labels, options);
            var trained = XLinearTrainingFlags.WithProgressBar("indexing labels", progress => XLinearTrainer.TrainEnsemble(features, labels, options, (ITrainingCheckpoint?)store ?? givenTree, progress));
            if (store is not null && resuming)
                CliConsole.OutWriter.WriteLine($"resumed from {store.Path}: {store.Reused.Trees} of {trained.Trees.Count} trees and {store.Reused.Levels} levels taken from the checkpoint");
            XLinearModelWriter.Save(modelPath, trained, prediction, normalize, features, labels.Cols, loadMs, sw.Elapsed.TotalMilliseconds, options.Threads,
                chosen == TrainingPreset.Balanced ? null : chosen.ToName(), choice, weightPrecision, calibration);
            // The model is saved (atomically); the checkpoint has served its purpose.
            store?.Delete();
            return 0;
        });
        return command;
    }
}
