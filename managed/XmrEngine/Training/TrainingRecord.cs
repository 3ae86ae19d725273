using System.Runtime.CompilerServices;
using XmrEngine.Kernels;
using XmrEngine.Models;

namespace XmrEngine.Training;

/// <summary>
/// How a model was trained: the settings that decided it, taken from the options the training API actually used.
/// <see cref="XLinearTrainer"/> and <see cref="PartitionedTraining.Assemble(XmrEngine.Indexing.ClusterChain, IReadOnlyList{XmrEngine.Sparse.CscMatrix[]}, int, XLinearTrainOptions)"/>
/// attach one to every model they build (<see cref="Of(XLinearModel)"/> finds it), and
/// <see cref="XmrEngine.Persistence.XLinearModelFile"/> saves it in the file's metadata, where
/// <see cref="XmrEngine.Persistence.ModelMetadata.Training"/> reads it back. A model trained on a tree the caller
/// supplied carries none: the settings that built the tree are not known. Defaults are <see cref="XLinearTrainOptions"/>'s.
/// </summary>
public sealed record TrainingRecord
{
    private static readonly XLinearTrainOptions Defaults = new();

    /// <summary>Who attached which record to which model: models stay pure data (the model layer knows nothing of training),
    /// and a record lives exactly as long as its model.</summary>
    private static readonly ConditionalWeakTable<object, TrainingRecord> Attached = new();

    /// <summary>The named settings the model was trained with (`xmr train --preset`, "tuned" for `xmr tune`); null when none was named.</summary>
    public string? Preset { get; init; }

    /// <summary>Loss of every node's model.</summary>
    public SolverType Solver { get; init; } = Defaults.Solver;

    /// <summary>Negative sampling scheme.</summary>
    public NegativeSampling Negatives { get; init; } = Defaults.Negatives;

    /// <summary>Branching factor of the label tree.</summary>
    public int NrSplits { get; init; } = Defaults.Indexer.NrSplits;

    /// <summary>Most labels per leaf cluster.</summary>
    public int MaxLeafSize { get; init; } = Defaults.Indexer.MaxLeafSize;

    /// <summary>Whether labels without features were gathered in their own subtrees (<see cref="XmrEngine.Indexing.HierarchicalKMeansOptions.EmptyRowsLast"/>).</summary>
    public bool EmptyLabelsLast { get; init; }

    /// <summary>Cost of errors on positives.</summary>
    public double Cp { get; init; } = Defaults.Cp;

    /// <summary>Cost of errors on negatives.</summary>
    public double Cn { get; init; } = Defaults.Cn;

    /// <summary>Solver stopping tolerance.</summary>
    public double Eps { get; init; } = Defaults.Eps;

    /// <summary>Weights with |w| below this were dropped.</summary>
    public float Threshold { get; init; } = Defaults.Threshold;

    /// <summary>Seed of the run (tree i of an ensemble used this + i).</summary>
    public int Seed { get; init; }

    /// <summary>Trees of the ensemble.</summary>
    public int Trees { get; init; } = 1;

    /// <summary>
    /// How settings were chosen on held-out training rows (what was tried, on how many rows, and the scores), when the
    /// trainer's front end chose any; null when every setting was given or a preset's constant.
    /// </summary>
    public string? Choice { get; init; }

    /// <summary>The beam MAN negatives were mined with; null when the negatives were TFN only (no beam was used).</summary>
    public int? ManBeamSize { get; init; }

    /// <summary>The record of a run with <paramref name="options"/>: what they set that decides the model.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    public static TrainingRecord From(XLinearTrainOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new TrainingRecord
        {
            Solver = options.Solver,
            Negatives = options.Negatives,
            NrSplits = options.Indexer.NrSplits,
            MaxLeafSize = options.Indexer.MaxLeafSize,
            EmptyLabelsLast = options.Indexer.EmptyRowsLast,
            Cp = options.Cp,
            Cn = options.Cn,
            Eps = options.Eps,
            Threshold = options.Threshold,
            Seed = options.Seed,
            Trees = options.Trees,
            ManBeamSize = options.Negatives.HasFlag(NegativeSampling.Man) ? options.ManBeamSize : null,
        };
    }

    /// <summary>The record the training API attached to <paramref name="model"/>; null for a model it did not train (built, loaded or trained on a supplied tree).</summary>
    public static TrainingRecord? Of(XLinearModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Attached.TryGetValue(model, out var record) ? record : null;
    }

    /// <summary>
    /// The record the training API attached to <paramref name="ensemble"/>, or, for a one-tree ensemble wrapped
    /// around a trained model, that model's; null otherwise.
    /// </summary>
    public static TrainingRecord? Of(XLinearEnsemble ensemble)
    {
        ArgumentNullException.ThrowIfNull(ensemble);
        if (Attached.TryGetValue(ensemble, out var record)) return record;
        return ensemble.Trees.Count == 1 ? Of(ensemble.Trees[0]) : null;
    }

    /// <summary>Records how <paramref name="model"/> was trained; the training API calls this on what it returns.</summary>
    internal static T Attach<T>(T model, TrainingRecord record) where T : class
    {
        Attached.AddOrUpdate(model, record);
        return model;
    }
}
