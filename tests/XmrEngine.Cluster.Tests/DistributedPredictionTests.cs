using XmrEngine.Cluster.Grains;
using XmrEngine.Indexing;
using XmrEngine.Inference;
using XmrEngine.IO;
using XmrEngine.Models;
using XmrEngine.Serving;
using XmrEngine.Sharding;
using XmrEngine.Sparse;
using XmrEngine.Synthetic;
using XmrEngine.Tests.Support;
using XmrEngine.Training;

namespace XmrEngine.Cluster.Tests;

/// <summary>Three silo processes, Redis membership, a client: distributed predictions are the single machine's.</summary>
[TestFixture]
[Category("Cluster")]
public sealed class DistributedPredictionTests
{
    private ClusterFixture _cluster = null!;
    private TempDir _temp = null!;

    [OneTimeSetUp]
    public void Start()
    {
        _temp = new TempDir();
        _cluster = new ClusterFixture(3);
    }

    [OneTimeTearDown]
    public void Stop()
    {
        _cluster?.Dispose();
        _temp?.Dispose();
    }

    [Test]
    [Category("RealData")]
    public async Task Bibtex_ThreeSilos_EqualsSingleMachine()
    {
        var train = XmcTextFormat.Read(SharedData.RequireFile("bibtex/train.txt"));
        var test = XmcTextFormat.Read(SharedData.RequireFile("bibtex/test.txt"));
        var model = XLinearTrainer.Train(train.Features.NormalizeRows(), train.Labels,
            new XLinearTrainOptions { Indexer = new HierarchicalKMeansOptions { NrSplits = 4, MaxLeafSize = 8 } });
        // Raw test rows on both sides: each model prepares them by its own rule (the file's: L2-normalised).
        var x = test.Features;
        using var single = new XLinearServingModel(new XLinearPredictor(model));
        var expected = single.Predict(x);
        foreach (var (level, shards) in new[] { (1, 2), (2, 3) })
        {
            using var router = _cluster.Open(ClusterFixture.Shard(model, _temp.Path, $"bibtex-{level}-{shards}", level, shards));
            ClusterFixture.AssertSame(expected, await router.PredictAsync(x, null, 0, normalize: null, CancellationToken.None), $"bibtex, level {level}, {shards} shards");
        }
    }

    /// <summary>A model trained (PECOS defaults) on a generated data set with 50,000 labels, sharded over three silos.</summary>
    [Test]
    public async Task Generated50kLabelSet_ThreeSilos_EqualsSingleMachine()
    {
        var (x, y) = SyntheticXmrGenerator.Generate(new SyntheticXmrOptions { Instances = 20_000, Features = 20_000, Labels = 50_000, Seed = 17 });
        var model = XLinearTrainer.Train(x.NormalizeRows(), y, new XLinearTrainOptions { Threads = 2 });
        Assert.That(model.Chain.Depth, Is.GreaterThan(2), "the tree must have levels below the split");
        var queries = x.SelectRows([.. Enumerable.Range(0, 300)]);
        var options = new PredictOptions { BeamSize = 20, TopK = 10 };
        using var single = new XLinearServingModel(new XLinearPredictor(model));
        var expected = single.Predict(queries, options);
        using var router = _cluster.Open(ClusterFixture.Shard(model, _temp.Path, "generated", 2, 3), batchRows: 64);
        ClusterFixture.AssertSame(expected, await router.PredictAsync(queries, options, 0, normalize: null, CancellationToken.None), "generated 50k labels");
        TestContext.Out.WriteLine($"calls so far: {_cluster.Statistics}");
    }

    [Test]
    public void CorruptShard_IsRefusedOnActivation_NamingTheFile()
    {
        var (dir, shard) = ClusterFixture.ShardWithOneCorrupt(_temp.Path, "corrupt", corruptShard: 2, seed: 23);
        using var router = _cluster.Open(dir);
        // Shard 2 is always asked (ShardWithOneCorrupt says why).
        var queries = RandomSparse.Csr(5, 500, 0.05, 24);
        var e = Assert.ThrowsAsync<ShardLoadException>(() => router.PredictAsync(queries, null, 0, normalize: null, CancellationToken.None));
        Assert.That(e!.FilePath, Is.EqualTo(shard));
        Assert.That(e.Message, Does.Contain(shard).And.Contain("sha256"));
    }

    [Test]
    public void ClusterPredictCommand_WritesTheSingleMachinePredictions_AndReportsARefusedShard()
    {
        var model = GeneratedModel.Create(labels: 3_000, branching: 8, features: 800, weightsPerNode: 10, seed: 29);
        var queries = RandomSparse.Csr(200, 800, 0.03, 30);
        string x = _temp.File("q.npz"), output = _temp.File("p.npz"), dir = ClusterFixture.Shard(model, _temp.Path, "cli", 2, 3);
        NpzFormat.Write(x, queries);
        var run = RunXmr(["cluster", "predict", "-m", dir, "-x", x, "-o", output, "--no-normalize", "--cluster-id", _cluster.ClusterId, "--redis", _cluster.Redis, "--top-k", "5"]);
        Assert.That(run.ExitCode, Is.EqualTo(0), run.Output);
        Assert.That(run.Output, Does.Contain("predicted 200 rows on cluster").And.Contain("calls: "), run.Output);
        ClusterFixture.AssertSame(new XLinearPredictor(model).Predict(queries, new PredictOptions { TopK = 5 }), NpzFormat.ReadCsr(output), "xmr cluster predict");

        string other = _temp.File("cli-missing");
        // The grain of the intact directory is already active; a fresh directory makes fresh grains that must open their files.
        ModelSharder.Write(model, Persistence.ModelMetadata.Default, 2, 3, other);
        string missing = Path.Combine(ShardedModelDirectory.ReadManifest(other).Directory, ModelSharder.ShardFileName(1));
        File.Delete(missing);
        var refused = RunXmr(["cluster", "predict", "-m", other, "-x", x, "-o", _temp.File("p2.npz"), "--no-normalize", "--cluster-id", _cluster.ClusterId, "--redis", _cluster.Redis]);
        Assert.That(refused.ExitCode, Is.EqualTo(2), refused.Output);
        Assert.That(refused.Output, Does.Contain("error: ").And.Contain(missing).And.Contain("missing"), refused.Output);
    }

    private static (int ExitCode, string Output) RunXmr(string[] args)
    {
        using var process = XmrCli.StartCapturing(args, out var output);
        int code = XmrCli.WaitForExit(process);
        return (code, output());
    }
}
