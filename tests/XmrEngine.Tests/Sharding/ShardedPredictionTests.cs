using XmrEngine.Indexing;
using XmrEngine.Inference;
using XmrEngine.IO;
using XmrEngine.Models;
using XmrEngine.Persistence;
using XmrEngine.Sharding;
using XmrEngine.Sparse;
using XmrEngine.Tests.Inference;
using XmrEngine.Tests.Support;
using XmrEngine.Training;

namespace XmrEngine.Tests.Sharding;

/// <summary>A sharded model, opened on one machine, answers exactly (labels and score bits) as the unsharded model.</summary>
[TestFixture]
public sealed class ShardedPredictionTests
{
    private TempDir _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempDir();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    /// <summary>Every split level, one shard, two shards and one shard per subtree, on random trees whose children are not contiguous.</summary>
    [TestCase(3, 11)]
    [TestCase(4, 12)]
    [TestCase(4, 13)]
    public void RandomModels_EverySplitAndShardCount_AnswerAsUnsharded(int depth, int seed)
    {
        var model = RandomModels.Model(depth, featureCount: 40, density: 0.3, seed, allowChildless: true);
        var queries = RandomSparse.Csr(60, 40, 0.25, seed + 100);
        var options = new[]
        {
            PredictOptions.Default,
            new PredictOptions { BeamSize = 3, TopK = 7, PostProcessor = PostProcessor.Sigmoid },
            new PredictOptions { BeamSize = 2, TopK = 1, PostProcessor = PostProcessor.LogSigmoid },
        };
        var single = new XLinearPredictor(model);
        int cases = 0;
        for (int split = 1; split < depth; split++)
        {
            int roots = model.Chain.Levels[split - 1].Rows;
            foreach (int shards in new[] { 1, Math.Min(2, roots), roots }.Distinct())
            {
                string dir = _temp.File($"s{split}-k{shards}");
                ModelSharder.Write(model, ModelMetadata.Default, split, shards, dir);
                using var sharded = ShardedModelDirectory.Open(dir, verifyChecksums: true, out _);
                Assert.That(sharded.ShardCount, Is.EqualTo(shards));
                foreach (var o in options)
                {
                    AssertSame(single.Predict(queries, o), sharded.Predict(queries, o), $"depth {depth}, split {split}, {shards} shards, beam {o.BeamSize} top {o.TopK} {o.PostProcessor}");
                    cases++;
                }
            }
        }
        Assert.That(cases, Is.GreaterThanOrEqualTo(3 * (depth - 1)));
    }

    [Test]
    public void SmallBatches_GiveTheSameAnswer()
    {
        var model = RandomModels.Model(3, featureCount: 30, density: 0.4, seed: 5);
        var queries = RandomSparse.Csr(45, 30, 0.3, 6);
        string dir = _temp.File("m");
        ModelSharder.Write(model, ModelMetadata.Default, 2, model.Chain.Levels[1].Rows, dir);
        using var opened = ShardedModelDirectory.Open(dir, true, out _);
        var manifest = ShardedModelDirectory.ReadManifest(dir).Manifest;
        var (directory, _) = ShardedModelDirectory.ReadManifest(dir);
        var meta = ShardedModelDirectory.OpenMeta(directory, manifest, true, out _);
        var shards = Enumerable.Range(0, manifest.Shards.Count).Select(s => (IShardStepper)ModelShard.Open(directory, manifest, s)).ToList();
        using var batched = new ShardedPredictor(manifest, meta, shards) { BatchRows = 4, ConcurrentBatches = 3 };
        AssertSame(new XLinearPredictor(model).Predict(queries), batched.Predict(queries), "batches of 4");
    }

    [Test]
    [Category("RealData")]
    public void Bibtex_ShardedEqualsUnsharded()
    {
        var train = XmcTextFormat.Read(SharedData.RequireFile("bibtex/train.txt"));
        var test = XmcTextFormat.Read(SharedData.RequireFile("bibtex/test.txt"));
        // A deeper tree than the default (159 labels in leaves of 100 give two levels) so several split levels exist.
        var options = new XLinearTrainOptions { Indexer = new HierarchicalKMeansOptions { NrSplits = 4, MaxLeafSize = 8 } };
        var model = XLinearTrainer.Train(train.Features.NormalizeRows(), train.Labels, options);
        Assert.That(model.Chain.Depth, Is.GreaterThanOrEqualTo(3));
        string file = _temp.File("bibtex.xmr");
        XLinearModelFile.Save(file, model);
        using var single = XLinearModelFile.OpenMapped(file);
        var x = test.Features.NormalizeRows();
        var expected = single.Predict(x);
        var wide = new PredictOptions { BeamSize = 20, TopK = 15 };
        var expectedWide = single.Predict(x, wide);
        for (int split = 1; split < model.Chain.Depth; split++)
        {
            int roots = model.Chain.Levels[split - 1].Rows;
            foreach (int shards in new[] { 1, Math.Min(3, roots), roots }.Distinct())
            {
                string dir = _temp.File($"bibtex-{split}-{shards}");
                ModelSharder.Write(model, ModelMetadata.Default, split, shards, dir);
                using var sharded = ShardedModelDirectory.Open(dir, true, out _);
                AssertSame(expected, sharded.Predict(x), $"bibtex split {split}, {shards} shards");
                AssertSame(expectedWide, sharded.Predict(x, wide), $"bibtex split {split}, {shards} shards, beam 20");
            }
        }
    }

    [Test]
    public void Planner_BalancesGreedily_AndLeavesNoShardEmpty()
    {
        var model = RandomModels.Model(3, featureCount: 50, density: 0.5, seed: 21);
        int roots = model.Chain.Levels[0].Rows;
        foreach (int k in Enumerable.Range(1, roots))
        {
            string dir = _temp.File($"p{k}");
            var manifest = ModelSharder.Write(model, ModelMetadata.Default, 1, k, dir);
            var loads = manifest.Shards.Select(s => s.WeightCount).ToArray();
            Assert.That(loads.Sum(), Is.EqualTo(model.Weights.Sum(w => w.Nnz)), "every weight in exactly one shard");
            Assert.That(manifest.Shards.All(s => s.SubtreeRoots.Count >= 1), Is.True, $"{k} shards: none empty");
            // Largest-first greedy: when a shard got its last (smallest) subtree it was the lightest shard, and loads only grow.
            var weights = SubtreeWeights(model);
            foreach (var shard in manifest.Shards)
            {
                long smallest = shard.SubtreeRoots.ToArray().Min(r => weights[r]);
                Assert.That(shard.WeightCount - smallest, Is.LessThanOrEqualTo(loads.Min()), $"{k} shards: {string.Join(",", loads)}");
            }
        }
    }

    [Test]
    public void BadSplitOrShardCount_IsRefused()
    {
        var model = RandomModels.Model(3, featureCount: 10, density: 0.5, seed: 3);
        int roots = model.Chain.Levels[0].Rows;
        Assert.Throws<ArgumentOutOfRangeException>(() => ModelSharder.Write(model, ModelMetadata.Default, 0, 1, _temp.File("a")));
        Assert.Throws<ArgumentOutOfRangeException>(() => ModelSharder.Write(model, ModelMetadata.Default, 3, 1, _temp.File("b")));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => ModelSharder.Write(model, ModelMetadata.Default, 1, roots + 1, _temp.File("c")));
        Assert.That(e!.Message, Does.Contain($"[1, {roots}]"));
        var flat = new XLinearModel(ClusterChain.Flat(4), [RandomModels.Weights(10, 4, 0.5, new Random(1))], 10, 1f);
        Assert.Throws<ArgumentOutOfRangeException>(() => ModelSharder.Write(flat, ModelMetadata.Default, 1, 1, _temp.File("d")));
    }

    [Test]
    public void ShardStep_RefusesAParentItDoesNotHold()
    {
        var model = RandomModels.Model(3, featureCount: 10, density: 0.5, seed: 8);
        string dir = _temp.File("m");
        ModelSharder.Write(model, ModelMetadata.Default, 1, 2, dir);
        var (directory, manifest) = ShardedModelDirectory.ReadManifest(dir);
        using var shard = ModelShard.Open(directory, manifest, 0);
        int foreign = manifest.Shards[1].SubtreeRoots.Start(0);
        var request = new ShardStepRequest
        {
            Level = 1, K = 3, PostProcessor = "l3-hinge",
            QueryPointers = [0, 1], QueryIndices = [2], QueryValues = [1f],
            ParentStart = [0, 1], Parents = [foreign], ParentScores = [0.5f],
        };
        var e = Assert.Throws<ArgumentException>(() => shard.Step(request));
        Assert.That(e!.Message, Does.Contain($"node {foreign}").And.Contain("not held"));
        var bad = new ShardStepRequest
        {
            Level = 1, K = 3, PostProcessor = "l3-hinge",
            QueryPointers = [0, 1], QueryIndices = [99], QueryValues = [1f],
            ParentStart = [0, 0], Parents = [], ParentScores = [],
        };
        Assert.That(Assert.Throws<ArgumentException>(() => shard.Step(bad))!.Message, Does.Contain("feature id 99"));
    }

    /// <summary>Non-zero weights below (and at) each node of level 0.</summary>
    private static long[] SubtreeWeights(XLinearModel model)
    {
        var weights = new long[model.Chain.Levels[0].Rows];
        var rootOf = Enumerable.Range(0, weights.Length).ToArray();
        for (int t = 0; t < model.Chain.Depth; t++)
        {
            if (t > 0) rootOf = Enumerable.Range(0, model.Chain.Levels[t].Rows).Select(n => rootOf[model.Chain.Parent(t, n)]).ToArray();
            for (int n = 0; n < rootOf.Length; n++) weights[rootOf[n]] += model.Weights[t].ColumnLength(n);
        }
        return weights;
    }

    /// <summary>Same rows, same labels, same score bits.</summary>
    internal static void AssertSame(CsrMatrix expected, CsrMatrix actual, string context)
    {
        Assert.That(actual.Rows, Is.EqualTo(expected.Rows), $"{context}: rows");
        Assert.That(actual.Cols, Is.EqualTo(expected.Cols), $"{context}: cols");
        Assert.That(actual.Pointers.ToArray(), Is.EqualTo(expected.Pointers.ToArray()), $"{context}: labels per row");
        Assert.That(actual.Indices.ToArray(), Is.EqualTo(expected.Indices.ToArray()), $"{context}: labels");
        Assert.That(actual.Values.ToArray(), Is.EqualTo(expected.Values.ToArray()), $"{context}: scores");
    }
}
