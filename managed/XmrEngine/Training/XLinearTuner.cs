using System.Diagnostics;
using XmrEngine.Common;
using XmrEngine.Evaluation;
using XmrEngine.Indexing;
using XmrEngine.Inference;
using XmrEngine.Models;
using XmrEngine.Sparse;

namespace XmrEngine.Training;

/// <summary>
/// Picks training and prediction settings by validation, never by a test set: holds out a seeded slice of
/// the training rows, trains the grid's models on the rest, scores every grid point on the held-out rows
/// (mean of P@1, P@3, P@5), and returns the scores and the choice. Among points within
/// <see cref="Tolerance"/> of the best score the cheapest wins (fewest trees, then smallest beam), so an
/// ensemble is only chosen when it is measurably better. The caller then trains on all rows with
/// <see cref="TuningResult.Apply"/>.
/// </summary>
public static class XLinearTuner
{
    /// <summary>Score differences below this (percentage points) are treated as ties [0.05].</summary>
    public const double Tolerance = 0.05;

    /// <summary>Runs the grid.</summary>
    /// <param name="x">Training instances x features (rows prepared as for training).</param>
    /// <param name="y">Training labels.</param>
    /// <param name="baseOptions">Options every grid model starts from (cost and trees are replaced).</param>
    /// <param name="grid">What to try.</param>
    /// <param name="validationFraction">Share of the rows held out, in (0, 0.5].</param>
    /// <param name="seed">Seed of the held-out slice.</param>
    /// <param name="log">Receives one line per trained grid model; may be null.</param>
    /// <param name="cancellationToken">Stops between models.</param>
    /// <exception cref="ArgumentException">Shapes disagree, the fraction is out of range, the grid is invalid, or the split leaves no validation row with a label.</exception>
    public static TuningResult Tune(CsrMatrix x, CsrMatrix y, XLinearTrainOptions baseOptions, TuningGrid grid, double validationFraction, int seed,
        Action<string>? log = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(baseOptions);
        ArgumentNullException.ThrowIfNull(grid);
        grid.Validate();
        if (!(validationFraction > 0 && validationFraction <= 0.5))
            throw new ArgumentException($"The validation fraction must be in (0, 0.5]; got {validationFraction}.", nameof(validationFraction));
        if (x.Rows != y.Rows) throw new ArgumentException($"X has {x.Rows} rows but Y has {y.Rows}.", nameof(y));
        var (trainRows, validRows) = HeldOutRows.Split(x.Rows, validationFraction, seed);
        if (trainRows.Length == 0 || validRows.Length == 0)
            throw new ArgumentException($"{x.Rows} rows cannot be split into training and validation rows with fraction {validationFraction}.", nameof(x));
        CsrMatrix xt = x.SelectRows(trainRows), yt = y.SelectRows(trainRows), xv = x.SelectRows(validRows), yv = y.SelectRows(validRows);
        // Relevance weights are per training row: the grid's models train on the training part's rows of them.
        if (baseOptions.Relevance is { Values: { } relevance } weights)
        {
            if (relevance.Rows != x.Rows) throw new ArgumentException($"The relevance matrix has {relevance.Rows} rows but X has {x.Rows}.", nameof(baseOptions));
            baseOptions = baseOptions with { Relevance = new RelevanceWeights(relevance.SelectRows(trainRows), weights.Mode, weights.Norm) };
        }
        if (Enumerable.Range(0, yv.Rows).All(r => yv.RowLength(r) == 0))
            throw new ArgumentException("No validation row has a label; there is nothing to score the grid on.", nameof(y));

        var trials = new List<TuningTrial>();
        // The costs do not shape the label tree (PIFA and k-means read only X, Y and the seed), so every cost's
        // ensemble trains on the trees the first one built: each cost after the first costs only its solves.
        var sharedTrees = new SharedTrees();
        foreach (var pair in grid.TrainedCosts)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var sw = Stopwatch.StartNew();
            var ensemble = XLinearTrainer.TrainEnsemble(xt, yt, baseOptions with { Cp = pair.Cp, Cn = pair.Cn, Trees = grid.MaxTrees }, sharedTrees, null, cancellationToken);
            string costs = pair.Cp == pair.Cn ? $"cost {pair.Cn}" : $"Cp {pair.Cp}, Cn {pair.Cn}";
            log?.Invoke($"{costs}: trained {grid.MaxTrees} tree(s) on {xt.Rows:N0} rows in {sw.Elapsed.TotalSeconds:F1} s");
            // Compiled once; each tree count is scored on the first trees of it.
            var all = new XLinearPredictor(ensemble);
            for (int trees = 1; trees <= grid.MaxTrees; trees++)
            {
                var predictor = all.FirstTrees(trees);
                foreach (int beam in grid.BeamSizes)
                    foreach (var post in grid.PostProcessors)
                    {
                        var options = PredictOptions.Default with { BeamSize = beam, TopK = 5, PostProcessor = post };
                        var timer = Stopwatch.StartNew();
                        var predicted = predictor.Predict(xv, options, baseOptions.Threads);
                        double micros = timer.Elapsed.TotalMicroseconds / xv.Rows;
                        var p = XmcMetrics.Evaluate(yv, predicted, 5).PrecisionAtK;
                        trials.Add(new TuningTrial(pair.Cn, trees, options with { TopK = PredictOptions.Default.TopK }, 100 * p[0], 100 * p[2], 100 * p[4], micros)
                        {
                            PositiveCost = pair.Cp == pair.Cn ? null : pair.Cp,
                        });
                    }
            }
        }
        return new TuningResult(trials, Choose(trials), xt.Rows, xv.Rows);
    }

    /// <summary>Keeps the label trees of the grid's first ensemble for the others; trained levels are not kept (they depend on the costs).</summary>
    private sealed class SharedTrees : ITrainingCheckpoint
    {
        // Trees of one ensemble are built side by side.
        private readonly System.Collections.Concurrent.ConcurrentDictionary<int, ClusterChain> _trees = new();

        public ClusterChain? LoadTree(int tree) => _trees.GetValueOrDefault(tree);

        public void SaveTree(int tree, ClusterChain chain) => _trees[tree] = chain;

        public CscMatrix? LoadLevel(int tree, int level) => null;

        public void SaveLevel(int tree, int level, CscMatrix weights)
        {
        }
    }

    /// <summary>The best score, or the cheapest point within <see cref="Tolerance"/> of it.</summary>
    internal static TuningTrial Choose(IReadOnlyList<TuningTrial> trials)
    {
        double best = trials.Max(t => t.Score);
        return trials.Where(t => t.Score >= best - Tolerance)
            .OrderBy(t => t.Trees).ThenBy(t => t.Prediction.BeamSize).ThenByDescending(t => t.Score).First();
    }
}
