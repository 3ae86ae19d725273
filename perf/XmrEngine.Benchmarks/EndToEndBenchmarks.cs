using BenchmarkDotNet.Attributes;
using XmrEngine.Inference;
using XmrEngine.Kernels;
using XmrEngine.Models;
using XmrEngine.Training;

namespace XmrEngine.Benchmarks;

/// <summary>
/// XR-Linear end to end on Bibtex with PECOS's defaults, per kernel backend: training (PIFA label
/// embedding on the backend, k-means tree, solvers) and batch prediction of the 2,515 test rows with
/// every tree level scored as one masked product on the backend (<see cref="MaskedBatchPredictor"/>).
/// Both cores. The backend-independent chunked predictor is measured in <see cref="BibtexChunkedPredictBenchmarks"/>.
/// </summary>
[Config(typeof(EndToEndConfig))]
public class EndToEndBenchmarks
{
    private XLinearModel _model = null!;
    private MaskedBatchPredictor _predictor = null!;
    private XLinearTrainOptions _options = null!;

    /// <summary>Which backend computes the kernels.</summary>
    [ParamsSource(typeof(BackendSource), nameof(BackendSource.Available))]
    public KernelBackend Backend { get; set; }

    /// <summary>Loads Bibtex and trains the model that prediction uses (with the same backend).</summary>
    [GlobalSetup]
    public void Setup()
    {
        var kernels = KernelRegistry.Get(Backend);
        _options = new XLinearTrainOptions { Kernels = kernels };
        _model = XLinearTrainer.Train(BibtexData.TrainX, BibtexData.TrainY, _options);
        _predictor = new MaskedBatchPredictor(_model, kernels);
    }

    /// <summary>Index (PIFA + k-means) and train, 4,880 x 1,836, 159 labels.</summary>
    [Benchmark]
    public int Train() => XLinearTrainer.Train(BibtexData.TrainX, BibtexData.TrainY, _options).Weights.Count;

    /// <summary>Batch predict 2,515 test rows, beam 10, top 10, one masked product per level.</summary>
    [Benchmark]
    public long PredictBatch() => _predictor.Predict(BibtexData.TestX).Nnz;
}

/// <summary>The serving path on the same Bibtex model: the chunked <see cref="XLinearPredictor"/>, which uses no kernel backend.</summary>
[Config(typeof(EndToEndConfig))]
public class BibtexChunkedPredictBenchmarks
{
    private XLinearPredictor _predictor = null!;

    /// <summary>Loads Bibtex, trains with the default backend and compiles the predictor.</summary>
    [GlobalSetup]
    public void Setup() =>
        _predictor = new XLinearPredictor(XLinearTrainer.Train(BibtexData.TrainX, BibtexData.TrainY, new XLinearTrainOptions()));

    /// <summary>Batch predict 2,515 test rows, beam 10, top 10, chunked layout.</summary>
    [Benchmark]
    public long PredictBatchChunked() => _predictor.Predict(BibtexData.TestX).Nnz;
}
