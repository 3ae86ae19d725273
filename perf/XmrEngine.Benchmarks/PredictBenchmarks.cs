using BenchmarkDotNet.Attributes;
using XmrEngine.Inference;
using XmrEngine.Models;
using XmrEngine.Sparse;
using XmrEngine.Synthetic;
using XmrEngine.Training;
using XmrEngine.Persistence;
using XmrEngine.Serving;

namespace XmrEngine.Benchmarks;

/// <summary>
/// XR-Linear prediction on a model trained in setup from seeded synthetic data (20,000 instances,
/// 50,000 features, 5,000 labels, PECOS defaults): one query at a time (the serving path, which must
/// allocate nothing — see the Allocated column), the same through a predictor memory-mapped from the
/// saved model file, the same raw query through the serving front door, and a batch of 1,000 queries on all cores.
/// </summary>
[Config(typeof(BenchConfig))]
public class PredictBenchmarks
{
    private XLinearPredictor _predictor = null!;
    private XLinearPredictor _mapped = null!;
    private XLinearServingModel _frontDoor = null!;
    private PredictOptions _frontOptions = null!;
    private string _modelPath = "";
    private CsrMatrix _queries = null!;
    private readonly ScoredLabel[] _output = new ScoredLabel[10];
    private int _next;

    /// <summary>Generates data and trains the model.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var (x, y) = SyntheticXmrGenerator.Generate(new SyntheticXmrOptions { Instances = 21_000, Features = 50_000, Labels = 5_000, Seed = 5 });
        var trainRows = Enumerable.Range(0, 20_000).ToArray();
        var testRows = Enumerable.Range(20_000, 1_000).ToArray();
        XLinearModel model = XLinearTrainer.Train(x.SelectRows(trainRows), y.SelectRows(trainRows), new XLinearTrainOptions());
        _predictor = new XLinearPredictor(model);
        _modelPath = Path.Combine(Path.GetTempPath(), $"xmr-predict-bench-{Environment.ProcessId}.xmr");
        XLinearModelFile.Save(_modelPath, model);
        _mapped = XLinearModelFile.OpenMapped(_modelPath);
        _frontDoor = XLinearServingModel.Open(_modelPath);
        _frontOptions = _frontDoor.Options(topK: 10);
        _queries = x.SelectRows(testRows);
    }

    /// <summary>Unmaps and deletes the saved model file.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _mapped.Dispose();
        _frontDoor.Dispose();
        File.Delete(_modelPath);
    }

    /// <summary>One query (cycling through 1,000 test rows), beam 10, top 10.</summary>
    [Benchmark]
    public int SingleQuery()
    {
        int i = _next++ % _queries.Rows;
        return _predictor.Predict(_queries.Row(i).Indices, _queries.Row(i).Values, _output);
    }

    /// <summary>One query as <see cref="SingleQuery"/>, scored from the memory-mapped model file.</summary>
    [Benchmark]
    public int SingleQueryMapped()
    {
        int i = _next++ % _queries.Rows;
        return _mapped.Predict(_queries.Row(i).Indices, _queries.Row(i).Values, _output);
    }

    /// <summary>
    /// One raw query as <see cref="SingleQueryMapped"/>, through the front door every server and CLI uses
    /// (<see cref="XLinearServingModel.Predict"/>: checked, sorted and L2-normalised by the model's rule, then searched):
    /// the price of preparing the row, which the two above leave to the caller.
    /// </summary>
    [Benchmark]
    public int SingleQueryFrontDoor()
    {
        int i = _next++ % _queries.Rows;
        return _frontDoor.Predict(_queries.Row(i).Indices, _queries.Row(i).Values, _frontOptions).Length;
    }

    /// <summary>1,000 queries as one batch on all cores.</summary>
    [Benchmark]
    public long Batch1000() => _predictor.Predict(_queries).Nnz;
}
