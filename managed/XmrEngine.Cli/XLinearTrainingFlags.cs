using System.CommandLine;
using Spectre.Console;
using XmrEngine.Indexing;
using XmrEngine.Kernels;
using XmrEngine.Training;

namespace XmrEngine.Cli;

/// <summary>
/// The XR-Linear training flags (PECOS's names and defaults, except the tree: <see cref="HierarchicalKMeansOptions.Recommended"/>) shared by every verb that trains a model,
/// and the options record they build. One place, so `train` and `text2text train` cannot drift apart.
/// </summary>
internal sealed class XLinearTrainingFlags
{
    private static readonly XLinearTrainOptions Defaults = new();

    public Option<int> NrSplits { get; } = new("--nr-splits") { Description = $"Tree branching factor (power of 2); PECOS's is {Defaults.Indexer.NrSplits} (xmr train --preset pecos uses it unless this flag is given).", DefaultValueFactory = _ => HierarchicalKMeansOptions.Recommended.NrSplits };
    public Option<bool> EmptyLabelsLast { get; } = new("--empty-labels-last")
    {
        Description = "Gather labels without features (no training positive) in their own subtrees instead of spreading them over every leaf by id as PECOS does; 'false' gives PECOS's tree (as xmr train --preset pecos does unless this flag is given).",
        DefaultValueFactory = _ => HierarchicalKMeansOptions.Recommended.EmptyRowsLast,
    };
    public Option<int> MaxLeafSize { get; } = new("--max-leaf-size") { Description = "Most labels per leaf cluster.", DefaultValueFactory = _ => Defaults.Indexer.MaxLeafSize };
    public Option<string> Solver { get; } = new("--solver") { Description = "l2-hinge | l1-hinge | logistic.", DefaultValueFactory = _ => Defaults.Solver.ToName() };
    public Option<double> Cp { get; } = new("--Cp") { Description = "Cost on positives.", DefaultValueFactory = _ => Defaults.Cp };
    public Option<double> Cn { get; } = new("--Cn") { Description = "Cost on negatives.", DefaultValueFactory = _ => Defaults.Cn };
    public Option<double> Eps { get; } = new("--eps")
    {
        Description = $"Solver stopping tolerance (stop a node when its projected gradients span at most this). PECOS's is {Defaults.Eps} (xmr train --preset pecos and quality use it unless this flag is given); {XLinearTrainOptions.RecommendedEps} trains the 64-way tree about a quarter faster at the same P@1.",
        DefaultValueFactory = _ => XLinearTrainOptions.RecommendedEps,
    };
    public Option<float> Bias { get; } = new("--bias") { Description = "Bias feature value (0 = no bias).", DefaultValueFactory = _ => Defaults.Bias };
    public Option<float> Threshold { get; } = new("--threshold") { Description = "Drop weights with |w| below this.", DefaultValueFactory = _ => Defaults.Threshold };
    public Option<string> Negatives { get; } = new("--negatives") { Description = "tfn | man | tfn+man.", DefaultValueFactory = _ => Defaults.Negatives.ToName() };
    public Option<int> BeamSize { get; } = new("--beam-size") { Description = "Beam size saved as the model's prediction default (and used for MAN negatives).", DefaultValueFactory = _ => 10 };
    public Option<int> TopK { get; } = new("--top-k") { Description = "Top-k saved as the model's prediction default.", DefaultValueFactory = _ => 10 };
    public Option<int> Trees { get; } = new("--trees") { Description = "Trees in the ensemble (tree i uses seed + i); predictions combine them.", DefaultValueFactory = _ => Defaults.Trees };
    public Option<int> Seed { get; } = new("--seed") { Description = "Random seed (tree and solver order).", DefaultValueFactory = _ => 0 };
    public Option<int> Threads { get; } = CommonOptions.Threads();
    public Option<string> Backend { get; } = CommonOptions.Backend();

    /// <summary>Whether <see cref="AddTo"/> added <see cref="Trees"/> (only verbs that save ensembles offer it).</summary>
    private bool _ensembles;

    /// <summary>Adds every flag to <paramref name="command"/>; <see cref="Trees"/> only with <paramref name="ensembles"/>.</summary>
    public void AddTo(Command command, bool ensembles = false)
    {
        _ensembles = ensembles;
        foreach (Option o in new Option[] { NrSplits, EmptyLabelsLast, MaxLeafSize, Solver, Cp, Cn, Eps, Bias, Threshold, Negatives, BeamSize, TopK, Seed, Threads, Backend })
            command.Options.Add(o);
        if (ensembles) command.Options.Add(Trees);
    }

    /// <summary>Beam size and top-k, checked.</summary>
    public (int BeamSize, int TopK) Prediction(ParseResult result)
    {
        int b = result.GetValue(BeamSize), k = result.GetValue(TopK);
        if (k < 1 || b < 1) throw new ArgumentException($"--top-k and --beam-size must be positive; got {k} and {b}.");
        return (b, k);
    }

    /// <summary>
    /// The training options the flags describe; invalid values fail with the field named. The beam they carry
    /// (<see cref="XLinearTrainOptions.ManBeamSize"/>) is the one beam of the run: MAN negatives are mined with it and
    /// the verb saves it as the model's prediction beam.
    /// </summary>
    /// <param name="result">The parsed command line.</param>
    /// <param name="treeDefaults">Where --nr-splits and --empty-labels-last come from when not given (a preset's tree); null means the flags' own defaults.</param>
    /// <param name="epsDefault">The solver tolerance when --eps is not given (a preset's); null means the flag's own default.</param>
    /// <param name="beamDefault">The beam when --beam-size is not given (a preset's); null means the flag's own default.</param>
    public XLinearTrainOptions Build(ParseResult result, HierarchicalKMeansOptions? treeDefaults = null, double? epsDefault = null, int? beamDefault = null)
    {
        bool Given(Option o) => result.GetResult(o) is { Implicit: false };
        int threads = CommonOptions.ThreadCount(result, Threads);
        // The run's one backend, resolved here at the front end (so a bad name, a bad XMR_BACKEND or a backend that
        // does not load fails before any work starts) and passed down to every kernel of the run.
        var kernels = CommonOptions.Kernels(result, Backend);
        return new XLinearTrainOptions
        {
            Solver = SolverTypeNames.Parse(result.GetRequiredValue(Solver)),
            Cp = result.GetValue(Cp),
            Cn = result.GetValue(Cn),
            Eps = epsDefault is null || Given(Eps) ? result.GetValue(Eps) : epsDefault.Value,
            Bias = result.GetValue(Bias),
            Threshold = result.GetValue(Threshold),
            Negatives = NegativeSamplingNames.Parse(result.GetRequiredValue(Negatives)),
            ManBeamSize = Beam(result, beamDefault),
            Seed = result.GetValue(Seed),
            Trees = _ensembles ? result.GetValue(Trees) : 1,
            Threads = threads,
            Kernels = kernels,
            Indexer = new HierarchicalKMeansOptions
            {
                NrSplits = treeDefaults is null || Given(NrSplits) ? result.GetValue(NrSplits) : treeDefaults.NrSplits,
                EmptyRowsLast = treeDefaults is null || Given(EmptyLabelsLast) ? result.GetValue(EmptyLabelsLast) : treeDefaults.EmptyRowsLast,
                MaxLeafSize = result.GetValue(MaxLeafSize),
            },
        };
    }

    /// <summary>--beam-size (checked) when given or when there is no <paramref name="beamDefault"/>, otherwise that default.</summary>
    private int Beam(ParseResult result, int? beamDefault)
    {
        int flag = Prediction(result).BeamSize;
        return beamDefault is { } preset && result.GetResult(BeamSize) is not { Implicit: false } ? preset : flag;
    }

    private static string TreePrefix(TrainingProgress p) => p.TreeCount > 1 ? $"tree {p.Tree + 1}/{p.TreeCount}: " : "";

    /// <summary>
    /// Runs <paramref name="train"/> with its per-level reports shown on standard error: a live progress bar
    /// on a terminal, otherwise one plain line when each level of each tree starts (a log file gets no escape codes
    /// and no per-node noise).
    /// </summary>
    public static T WithProgressBar<T>(string firstStep, Func<IProgress<TrainingProgress>, T> train)
    {
        if (!CliConsole.ErrIsTerminal)
        {
            CliConsole.ErrWriter.WriteLine($"{firstStep} ...");
            // Trees train in parallel, so their reports interleave: each (tree, level) stage is announced once.
            var announced = new HashSet<(int Tree, int Level)>();
            var lines = new SynchronousProgress<TrainingProgress>(p =>
            {
                if (announced.Add((p.Tree, p.Level)))
                {
                    CliConsole.ErrWriter.WriteLine($"{TreePrefix(p)}training level {p.Level + 1}/{p.LevelCount}: {p.NodesTotal:N0} nodes");
                }
            });
            return train(lines);
        }
        T trained = default!;
        CliConsole.Err.Progress().AutoClear(true).Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask(firstStep, maxValue: 1);
                var progress = new SynchronousProgress<TrainingProgress>(p =>
                {
                    task.Description = $"{TreePrefix(p)}training level {p.Level + 1}/{p.LevelCount}";
                    task.MaxValue = Math.Max(1, p.NodesTotal);
                    task.Value = p.NodesDone;
                });
                trained = train(progress);
                task.Value = task.MaxValue;
            });
        return trained;
    }
}
