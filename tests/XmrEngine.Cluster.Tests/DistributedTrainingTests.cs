using XmrEngine.Cluster.Serving;
using XmrEngine.Cluster.Training;
using XmrEngine.Indexing;
using XmrEngine.IO;
using XmrEngine.Persistence;
using XmrEngine.Sparse;
using XmrEngine.Synthetic;
using XmrEngine.Tests.Support;
using XmrEngine.Training;

namespace XmrEngine.Cluster.Tests;

/// <summary>Subtree training jobs on three silo processes give the single-machine model file, byte for byte, also when a silo is killed mid-training.</summary>
[TestFixture]
[Category("Cluster")]
public sealed class DistributedTrainingTests
{
    private ClusterFixture _cluster = null!;
    private TempDir _temp = null!;
    private string _data = null!;
    private CsrMatrix _x = null!;
    private CsrMatrix _y = null!;
    private static readonly XLinearTrainOptions Options = new() { Indexer = new HierarchicalKMeansOptions { NrSplits = 4, MaxLeafSize = 8 } };

    [OneTimeSetUp]
    public void Start()
    {
        _temp = new TempDir();
        var (x, y) = SyntheticXmrGenerator.Generate(new SyntheticXmrOptions { Instances = 6_000, Features = 4_000, Labels = 600, Seed = 3 });
        _data = _temp.File("train.txt");
        XmcTextFormat.Write(_data, x, y);
        // Read back the way the jobs read it, so that coordinator and jobs see the same floats.
        var (read, labels) = SparseFileFormat.ReadContent(_data);
        (_x, _y) = (read.NormalizeRows(RowNorm.L2), labels!);
        _cluster = new ClusterFixture(3);
    }

    [OneTimeTearDown]
    public void Stop()
    {
        _cluster?.Dispose();
        _temp?.Dispose();
    }

    private byte[] SingleMachine()
    {
        string path = _temp.File("single.xmr");
        if (!File.Exists(path)) XLinearModelFile.Save(path, XLinearTrainer.Train(_x, _y, Options));
        return File.ReadAllBytes(path);
    }

    private async Task<byte[]> Distributed(string name, int splitLevel, int jobs, Action<int>? jobsSent = null)
    {
        var model = await ClusterTrainer.TrainAsync(_cluster.Client, _x, _y, new TrainingData(_data, null, Normalize: true), Options, splitLevel, jobs,
            RetryPolicy.Default, _cluster.Statistics, CancellationToken.None, jobsSent).WaitAsync(TimeSpan.FromSeconds(100));
        string path = _temp.File(name);
        XLinearModelFile.Save(path, model);
        return File.ReadAllBytes(path);
    }

    [Test, Order(1)]
    public async Task SubtreeJobsOnThreeSilos_GiveTheSingleMachineModelFile()
    {
        var expected = SingleMachine();
        Assert.That(await Distributed("d-1-2.xmr", 1, 2), Is.EqualTo(expected), "split 1, 2 jobs");
        Assert.That(await Distributed("d-2-5.xmr", 2, 5), Is.EqualTo(expected), "split 2, 5 jobs");
    }

    [Test, Order(2)]
    public void ClusterTrainCommand_WritesTheFileXmrTrainWrites()
    {
        string single = _temp.File("cli-single.xmr"), distributed = _temp.File("cli-cluster.xmr");
        string[] flags = ["--nr-splits", "4", "--max-leaf-size", "8", "--seed", "4"];
        var train = Run(["train", "-x", _data, "-m", single, .. flags]);
        Assert.That(train.ExitCode, Is.EqualTo(0), train.Output);
        var run = Run(["cluster", "train", "-x", _data, "-m", distributed, .. flags, "--level", "2", "--jobs", "3", "--cluster-id", _cluster.ClusterId, "--redis", _cluster.Redis]);
        Assert.That(run.ExitCode, Is.EqualTo(0), run.Output);
        Assert.That(run.Output, Does.Contain("3 subtree jobs below level 2"), run.Output);
        Assert.That(File.ReadAllBytes(distributed), Is.EqualTo(File.ReadAllBytes(single)), "xmr cluster train and xmr train write the same file");
        var man = Run(["cluster", "train", "-x", _data, "-m", _temp.File("man.xmr"), "--negatives", "tfn+man", "--level", "1", "--jobs", "2", "--cluster-id", _cluster.ClusterId, "--redis", _cluster.Redis]);
        Assert.That(man.ExitCode, Is.EqualTo(2), man.Output);
        Assert.That(man.Output, Does.Contain("error: ").And.Contain("tfn"), man.Output);
    }

    private static (int ExitCode, string Output) Run(string[] args)
    {
        using var process = XmrCli.StartCapturing(args, out var output);
        int code = XmrCli.WaitForExit(process);
        return (code, output());
    }

    [Test, Order(3)]
    public async Task KillOneSiloDuringTraining_TheJobsRerunAndTheModelIsTheSame()
    {
        var expected = SingleMachine();
        long retriedBefore = _cluster.Statistics.Retries, rerunsBefore = _cluster.Statistics.Reruns;
        Task? kill = null;
        // Kill once every job is on its way: the silo dies with jobs running on it (or queued for it).
        var actual = await Distributed("killed.xmr", 2, 6, _ => kill = Task.Run(async () =>
        {
            await Task.Delay(300);
            _cluster.Silos[1].Kill();
        }));
        await kill!;
        TestContext.Out.WriteLine($"training with a silo killed: {_cluster.Statistics.Retries - retriedBefore} retried calls, {_cluster.Statistics.Reruns - rerunsBefore} jobs rerun; all calls so far: {_cluster.Statistics}");
        Assert.That(_cluster.Silos[1].HasExited, Is.True);
        Assert.That(actual, Is.EqualTo(expected), "the model after a silo died mid-training");
    }
}
