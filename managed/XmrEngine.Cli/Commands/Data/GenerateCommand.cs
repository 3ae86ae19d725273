using System.CommandLine;
using XmrEngine.IO;
using XmrEngine.Sparse;
using XmrEngine.Synthetic;

namespace XmrEngine.Cli.Commands.Data;

/// <summary>
/// <c>xmr generate</c>: seeded synthetic data — a uniformly random sparse matrix (for kernel checks
/// against other tools) or an XMR data set with power-law labels and label-correlated features.
/// </summary>
internal static class GenerateCommand
{
    public static Command Create()
    {
        var command = new Command("generate", "Write seeded synthetic data: a random sparse matrix or an XMR data set.");
        command.Subcommands.Add(Random());
        command.Subcommands.Add(Dense());
        command.Subcommands.Add(Xmr());
        return command;
    }

    private static Command Random()
    {
        var rows = new Option<int>("--rows", "-r") { Description = "Rows.", Required = true };
        var cols = new Option<int>("--cols", "-c") { Description = "Columns.", Required = true };
        var nnz = new Option<long>("--nnz") { Description = "Number of (distinct) non-zeros to place uniformly at random.", Required = true };
        var seed = new Option<int>("--seed") { Description = "Random seed.", DefaultValueFactory = _ => 0 };
        var output = new Option<string>("--output", "-o") { Description = "Output .npz (csr, float32).", Required = true };
        var command = new Command("random", "A sparse matrix with non-zeros at uniformly random positions and values in [-1, 1).") { rows, cols, nnz, seed, output };
        command.SetAction(result =>
        {
            OutputPaths.CheckFile(("-o", result.GetRequiredValue(output)));
            int r = result.GetValue(rows), c = result.GetValue(cols);
            long n = result.GetValue(nnz);
            if (r <= 0 || c <= 0) throw new ArgumentException($"--rows and --cols must be positive; got {r} and {c}.");
            if (n < 0 || n > (long)r * c / 2) throw new ArgumentException($"--nnz must be in [0, rows*cols/2]; got {n}.");
            if (n > int.MaxValue / 2) throw new ArgumentException($"--nnz {n} is too large for one matrix here.");
            var rng = new Random(result.GetValue(seed));
            var b = new CooBuilder(r, c, (int)n);
            var seen = new HashSet<long>();
            while (seen.Count < n)
            {
                int i = rng.Next(r), j = rng.Next(c);
                if (seen.Add((long)i * c + j)) b.Add(i, j, (float)(rng.NextDouble() * 2 - 1));
            }
            NpzFormat.Write(result.GetRequiredValue(output), b.ToCsr());
            return 0;
        });
        return command;
    }

    /// <summary>Dense vectors around seeded cluster centres (embedding-like data for the ANN index), as a float32 .npy.</summary>
    private static Command Dense()
    {
        var rows = new Option<int>("--rows", "-r") { Description = "Rows (vectors).", Required = true };
        var cols = new Option<int>("--cols", "-c") { Description = "Columns (the dimension).", Required = true };
        var clusters = new Option<int>("--clusters") { Description = "Cluster centres the rows are drawn around (0: uniform in [-1, 1)).", DefaultValueFactory = _ => 0 };
        var spread = new Option<float>("--spread") { Description = "Largest offset of a row from its centre, per column.", DefaultValueFactory = _ => 0.25f };
        var seed = new Option<int>("--seed") { Description = "Random seed of the centres and (unless --row-seed is given) the rows.", DefaultValueFactory = _ => 0 };
        var rowSeed = new Option<int?>("--row-seed") { Description = "Seed of the rows alone: other rows around the same centres (queries for an index of the --seed rows)." };
        var output = new Option<string>("--output", "-o") { Description = "Output .npy (float32, rows x cols).", Required = true };
        var command = new Command("dense", "Dense vectors, uniform or around cluster centres, as a float32 .npy.") { rows, cols, clusters, spread, seed, rowSeed, output };
        command.SetAction(result =>
        {
            string path = result.GetRequiredValue(output);
            OutputPaths.CheckFile(("-o", path));
            int r = result.GetValue(rows), c = result.GetValue(cols), k = result.GetValue(clusters);
            float d = result.GetValue(spread);
            if (r <= 0 || c <= 0) throw new ArgumentException($"--rows and --cols must be positive; got {r} and {c}.");
            if ((long)r * c > Array.MaxLength) throw new ArgumentException($"--rows x --cols = {(long)r * c} values is more than one array holds.");
            if (k < 0) throw new ArgumentException($"--clusters must be 0 or more; got {k}.");
            if (!(d >= 0) || !float.IsFinite(d)) throw new ArgumentException($"--spread must be 0 or more; got {d}.");
            // Centres first, from their own stream, so a file with more rows holds the same clusters.
            var centres = new float[Math.Max(k, 1), c];
            var centreRng = new Random(result.GetValue(seed));
            for (int i = 0; i < centres.GetLength(0); i++)
                for (int j = 0; j < c; j++) centres[i, j] = (float)(centreRng.NextDouble() * 2 - 1);
            var rng = new Random(unchecked((result.GetValue(rowSeed) ?? result.GetValue(seed)) * 7919 + 1));
            var m = new float[r, c];
            for (int i = 0; i < r; i++)
            {
                int centre = k > 0 ? rng.Next(k) : 0;
                for (int j = 0; j < c; j++)
                    m[i, j] = k > 0 ? centres[centre, j] + d * (float)(rng.NextDouble() * 2 - 1) : (float)(rng.NextDouble() * 2 - 1);
            }
            NpyFormat.Write(path, m);
            return 0;
        });
        return command;
    }

    private static Command Xmr()
    {
        var defaults = new SyntheticXmrOptions();
        var instances = new Option<int>("--instances", "-n") { Description = "Instances (rows).", DefaultValueFactory = _ => defaults.Instances };
        var features = new Option<int>("--features", "-d") { Description = "Features.", DefaultValueFactory = _ => defaults.Features };
        var labels = new Option<int>("--labels", "-l") { Description = "Labels.", DefaultValueFactory = _ => defaults.Labels };
        var seed = new Option<int>("--seed") { Description = "Random seed.", DefaultValueFactory = _ => 0 };
        var output = new Option<string>("--output", "-o") { Description = "Output data set: .txt (XMC repository format) or .svm; or X.npz with -y Y.npz.", Required = true };
        var yOut = new Option<string?>("-y") { Description = "With an .npz output: where to write the label matrix." };
        var testInstances = new Option<int>("--test-instances") { Description = "Extra instances from the same distribution written to --test-output.", DefaultValueFactory = _ => 0 };
        var testOutput = new Option<string?>("--test-output") { Description = "Test split (.txt or .svm), drawn from the same label/feature structure." };
        var zipf = new Option<double>("--zipf") { Description = "Zipf exponent of label popularity (higher: a heavier head and a longer tail).", DefaultValueFactory = _ => defaults.LabelZipfExponent };
        var labelsPerRow = new Option<double>("--labels-per-row") { Description = "Mean labels per row (at least 1).", DefaultValueFactory = _ => defaults.MeanLabelsPerInstance };
        var labelFeatures = new Option<int>("--label-features") { Description = $"Features a row takes from each of its labels' signatures (1 to {defaults.SignatureFeaturesPerLabel}; fewer: harder).", DefaultValueFactory = _ => defaults.FeaturesPerLabelInInstance };
        var noiseFeatures = new Option<int>("--noise-features") { Description = "Noise features per row, Zipf-distributed over all features (more: harder).", DefaultValueFactory = _ => defaults.NoiseFeaturesPerInstance };
        var preset = new Option<string?>("--preset")
        {
            Description = "A named benchmark set (seed 0 unless --seed): " + string.Join("; ", SyntheticXmrPresets.All.Select(p => $"{p.Key} = {p.Value}")) +
                          ". Flags given explicitly override the preset's values; its test rows are written only with --test-output.",
        };
        var command = new Command("xmr", "An XMR data set with Zipf label popularity and label-correlated features (rows L2-normalised).") { instances, features, labels, zipf, labelsPerRow, labelFeatures, noiseFeatures, seed, output, yOut, testInstances, testOutput, preset };
        command.SetAction(result =>
        {
            T Value<T>(Option<T> option, Func<SyntheticXmrPreset, T?> fromPreset, SyntheticXmrPreset? chosen) where T : struct =>
                chosen is null || result.GetResult(option) is { Implicit: false } ? result.GetValue(option) : fromPreset(chosen) ?? result.GetValue(option);
            var chosenPreset = result.GetValue(preset) is { } name ? SyntheticXmrPresets.Get(name) : null;
            string? testPath = result.GetValue(testOutput);
            int nTrain = Value(instances, p => p.Instances, chosenPreset);
            int nTest = Value(testInstances, p => p.TestInstances, testPath is null ? null : chosenPreset);
            OutputPaths.CheckFile(("-o", result.GetRequiredValue(output)));
            if (result.GetValue(yOut) is { } yPath) OutputPaths.CheckFile(("-y", yPath), ("-o", result.GetValue(output)));
            if (testPath is not null) OutputPaths.CheckFile(("--test-output", testPath), ("-o", result.GetValue(output)), ("-y", result.GetValue(yOut)));
            if (nTest < 0 || (nTest > 0) != (testPath is not null))
                throw new ArgumentException("--test-instances (positive) and --test-output go together.");
            var options = new SyntheticXmrOptions
            {
                Instances = nTrain + nTest,
                Features = Value(features, p => p.Features, chosenPreset),
                Labels = Value(labels, p => p.Labels, chosenPreset),
                LabelZipfExponent = Value(zipf, p => p.ZipfExponent, chosenPreset),
                MeanLabelsPerInstance = Value(labelsPerRow, p => p.LabelsPerRow, chosenPreset),
                FeaturesPerLabelInInstance = Value(labelFeatures, p => p.LabelFeatures, chosenPreset),
                NoiseFeaturesPerInstance = Value(noiseFeatures, p => p.NoiseFeatures, chosenPreset),
                Seed = result.GetValue(seed),
            };
            var (x, y) = SyntheticXmrGenerator.Generate(options);
            // Instances are independent draws, so the first nTrain rows and the rest are a fair split.
            var trainRows = Enumerable.Range(0, nTrain).ToArray();
            SparseFileFormat.WriteDataset(new XmcDataset(x.SelectRows(trainRows), y.SelectRows(trainRows)), result.GetRequiredValue(output), result.GetValue(yOut));
            if (testPath is not null)
            {
                var testRows = Enumerable.Range(nTrain, nTest).ToArray();
                SparseFileFormat.WriteDataset(new XmcDataset(x.SelectRows(testRows), y.SelectRows(testRows)), testPath);
            }
            return 0;
        });
        return command;
    }
}
