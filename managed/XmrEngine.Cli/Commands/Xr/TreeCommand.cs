using System.CommandLine;
using Spectre.Console;
using XmrEngine.Indexing;
using XmrEngine.Persistence;
using XmrEngine.Serving;

namespace XmrEngine.Cli.Commands.Xr;

/// <summary><c>xmr tree -m MODEL</c>: the label tree's per-level node counts and leaf-size histogram.</summary>
internal static class TreeCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model", "-m") { Description = "Model file, or a PECOS XLinearModel directory.", Required = true };
        var saveChain = new Option<string?>("--save-chain") { Description = "Also write the tree as a PECOS ClusterChain folder (config.json, C0.npz, ...), which xmr train -c and PECOS's -c read." };
        var command = new Command("tree", "Show the label tree of a model: nodes per level, children per node, leaf-size histogram.") { model, saveChain };
        command.SetAction(result =>
        {
            string modelPath = result.GetRequiredValue(model);
            var (ensemble, _) = XLinearModelFormat.ReadWeights(modelPath);
            if (result.GetValue(saveChain) is { } folder)
            {
                if (ensemble.Trees.Count != 1) throw new ArgumentException($"--save-chain writes one tree; -m holds {ensemble.Trees.Count}.");
                if (File.Exists(folder)) throw new IOException($"--save-chain {folder}: is a file; give a folder.");
                ClusterChainFiles.Save(folder, ensemble.Trees[0].Chain);
                CliConsole.ErrWriter.WriteLine($"wrote the tree ({ensemble.Trees[0].Chain.Depth} levels) to {folder}");
            }
            for (int i = 0; i < ensemble.Trees.Count; i++)
            {
                if (ensemble.Trees.Count > 1) CliConsole.Out.MarkupLine($"[bold]tree {i + 1} of {ensemble.Trees.Count}[/]");
                Show(ensemble.Trees[i]);
            }
            ShowStorage(modelPath, ensemble);
            return 0;
        });
        return command;
    }

    /// <summary>
    /// The stored weights (non-zeros over every tree and level) and the whole file's bytes per weight, the size measure
    /// perf/RESULTS.md compares precisions and PECOS by (a PECOS folder counts every file in it).
    /// </summary>
    private static void ShowStorage(string path, XmrEngine.Models.XLinearEnsemble ensemble)
    {
        long weights = ensemble.Trees.Sum(t => t.Weights.Sum(w => w.Nnz));
        long bytes = Directory.Exists(path)
            ? new DirectoryInfo(path).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length)
            : new FileInfo(path).Length;
        string precision = PrecisionOption.Name(XLinearModelFile.StoredPrecision(ensemble.Trees[0]));
        CliConsole.OutWriter.WriteLine($"stored weights {weights:N0}, precision {precision}, file {bytes:N0} bytes, {QuantizeCommand.Ratio(bytes, weights)} bytes per weight");
    }

    private static void Show(XmrEngine.Models.XLinearModel m)
    {
        {
            var stats = ClusterChainStats.Compute(m.Chain);
            var levels = new Table().AddColumn("level").AddColumn("nodes").AddColumn("children per parent (min..max)").AddColumn("weights nnz");
            for (int t = 0; t < stats.Depth; t++)
                levels.AddRow(t.ToString(), stats.NodesPerLevel[t].ToString("N0"), $"{stats.MinChildrenPerLevel[t]}..{stats.MaxChildrenPerLevel[t]}", m.Weights[t].Nnz.ToString("N0"));
            CliConsole.Out.Write(levels);
            var hist = new Table().AddColumn("leaf size (labels)").AddColumn("leaf clusters");
            foreach (var (size, count) in stats.LeafSizeHistogram) hist.AddRow(size.ToString(), count.ToString("N0"));
            CliConsole.Out.Write(hist);
            CliConsole.Out.MarkupLine($"labels {stats.LabelCount:N0}, depth {stats.Depth}, leaf clusters {stats.LeafClusterCount:N0}, leaf size {stats.MinLeafSize}..{stats.MaxLeafSize}");
        }
    }
}
