using System.CommandLine;
using XmrEngine.Indexing;
using XmrEngine.Persistence;
using XmrEngine.Sparse;
using XmrEngine.Training;

namespace XmrEngine.Cli.Commands.Xr;

/// <summary>
/// <c>xmr train -c CODES</c> (PECOS's <c>-c</c>): train on a given label tree instead of building one. The tree is
/// handed to the trainer through the checkpoint seam, as a stored tree 0, so the run, its training record and the
/// saved file are those of an ordinary run that happened to build this tree.
/// </summary>
internal sealed class GivenTree : ITrainingCheckpoint
{
    private readonly ClusterChain _chain;

    private GivenTree(ClusterChain chain) => _chain = chain;

    public static Option<string?> CreateOption() => new("--code-path", "-c")
    {
        Description = "Train on this label tree instead of building one: a PECOS ClusterChain folder (config.json, C0.npz, C1.npz, ...; xmr tree --save-chain writes one) " +
                      "or an .npz code matrix (labels x clusters), completed upwards 16 clusters per node as PECOS does.",
    };

    /// <summary>The tree the flag names, checked against the labels and the other flags; null without the flag.</summary>
    public static GivenTree? Read(ParseResult result, Option<string?> option, CsrMatrix labels, XLinearTrainOptions options, bool checkpointing, bool quality)
    {
        string? path = result.GetValue(option);
        if (path is null) return null;
        if (options.Trees > 1) throw new ArgumentException($"-c {path} gives one tree; it cannot train an ensemble of --trees {options.Trees}.");
        if (checkpointing) throw new ArgumentException($"-c {path} gives the tree; --checkpoint / --resume do not combine with it.");
        if (quality) throw new ArgumentException($"-c {path} gives the tree, but --preset quality builds trees of its own while tuning; use another preset.");
        var chain = ClusterChainFiles.Load(path, ClusterChainFiles.PecosNrSplits);
        if (chain.LabelCount != labels.Cols)
            throw new ArgumentException($"-c {path}: the tree has {chain.LabelCount:N0} labels but the labels have {labels.Cols:N0} columns.");
        return new GivenTree(chain);
    }

    public ClusterChain? LoadTree(int tree) => tree == 0 ? _chain : null;

    public void SaveTree(int tree, ClusterChain chain)
    {
    }

    public CscMatrix? LoadLevel(int tree, int level) => null;

    public void SaveLevel(int tree, int level, CscMatrix weights)
    {
    }
}
