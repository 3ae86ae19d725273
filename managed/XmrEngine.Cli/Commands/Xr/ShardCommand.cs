using System.CommandLine;
using System.Diagnostics;
using XmrEngine.Persistence;
using XmrEngine.Sharding;

namespace XmrEngine.Cli.Commands.Xr;

/// <summary><c>xmr shard -m MODEL --level L --shards K -o DIR</c>: split a trained model into a meta-model and K shard files.</summary>
internal static class ShardCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model", "-m") { Description = "A one-tree XmrEngine model file (xmr train).", Required = true };
        var level = new Option<int>("--level") { Description = "The first tree level the shards hold (1 .. depth-1): the meta-model keeps the levels above it; each node of level L-1 roots a subtree that one shard holds whole.", Required = true };
        var shards = new Option<int>("--shards") { Description = "Number of shard files (1 .. nodes of level L-1), balanced by weight count.", Required = true };
        var output = new Option<string>("--output", "-o") { Description = "Output directory (a new version is written atomically; xmr predict -m DIR reads it).", Required = true };
        var command = new Command("shard", "Split a trained model into a meta-model and shard files of whole subtrees, with a checksummed manifest.") { model, level, shards, output };
        command.SetAction(result =>
        {
            string modelPath = result.GetRequiredValue(model), outPath = result.GetRequiredValue(output);
            OutputPaths.Check(("-o", outPath), ("-m", modelPath));
            if (Directory.Exists(modelPath))
                throw new ArgumentException($"-m {modelPath}: is a directory; xmr shard splits an XmrEngine model file (.xmr).");
            var sw = Stopwatch.StartNew();
            var ensemble = XLinearModelFile.LoadEnsemble(modelPath, out var metadata);
            if (ensemble.Trees.Count > 1)
                throw new ArgumentException($"-m {modelPath}: is an ensemble of {ensemble.Trees.Count} trees; xmr shard splits one-tree models (each tree has its own label tree to split).");
            var tree = ensemble.Trees[0];
            int depth = tree.Chain.Depth, splitLevel = result.GetValue(level), shardCount = result.GetValue(shards);
            if (depth < 2) throw new ArgumentException($"-m {modelPath}: its tree has {depth} level; sharding needs at least 2 (train with a smaller --max-leaf-size).");
            if (splitLevel < 1 || splitLevel >= depth) throw new ArgumentException($"--level must be in [1, {depth - 1}] for this model's {depth} levels; got {splitLevel}.");
            int roots = tree.Chain.Levels[splitLevel - 1].Rows;
            if (shardCount < 1 || shardCount > roots)
                throw new ArgumentException($"--shards must be in [1, {roots}] (level {splitLevel - 1} has {roots} nodes, each the root of a subtree one shard holds); got {shardCount}.");
            var manifest = ModelSharder.Write(tree, metadata, splitLevel, shardCount, outPath);
            var weights = manifest.Shards.Select(s => s.WeightCount).ToArray();
            CliConsole.OutWriter.WriteLine($"sharded {modelPath} ({tree.LabelCount:N0} labels, {depth} levels) at level {splitLevel} into {shardCount} shards of " +
                                           $"{roots:N0} subtrees in {outPath}: weights per shard {weights.Min():N0}..{weights.Max():N0}, meta-model {manifest.Meta.Bytes:N0} bytes, {sw.Elapsed.TotalMilliseconds:F0} ms");
            return 0;
        });
        return command;
    }
}
