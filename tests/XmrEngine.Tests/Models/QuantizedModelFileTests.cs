using System.Buffers.Binary;
using XmrEngine.Evaluation;
using XmrEngine.Inference;
using XmrEngine.IO;
using XmrEngine.Models;
using XmrEngine.Persistence;
using XmrEngine.Serving;
using XmrEngine.Sparse;
using XmrEngine.Synthetic;
using XmrEngine.Tests.Inference;
using XmrEngine.Tests.Support;
using XmrEngine.Training;

namespace XmrEngine.Tests.Models;

/// <summary>
/// Quantised model files (format version 4): save, load and mapped open agree; the mapped predictor ranks about as
/// the float one does; float files are still version 2 and load as before; precision conversions that would pass
/// rounded weights off as exact are refused; unknown versions and damaged quantised sections are named.
/// </summary>
public class QuantizedModelFileTests
{
    private static readonly Lazy<(XLinearModel Model, CsrMatrix Test, CsrMatrix TestLabels)> Trained = new(() =>
    {
        var (x, y) = SyntheticXmrGenerator.Generate(new SyntheticXmrOptions { Instances = 1_300, Features = 2_000, Labels = 300, Seed = 21 });
        var train = Enumerable.Range(0, 1_000).ToArray();
        var test = Enumerable.Range(1_000, 300).ToArray();
        var model = XLinearTrainer.Train(x.SelectRows(train), y.SelectRows(train), new XLinearTrainOptions());
        return (model, x.SelectRows(test), y.SelectRows(test));
    });

    private TempDir _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempDir();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    private string PathOf(string name) => Path.Combine(_temp.Path, name);

    private string SavedQuantized(XLinearModel model, WeightPrecision precision, string name)
    {
        string path = PathOf(name);
        XLinearModelFile.SaveQuantized(path, new XLinearEnsemble(model), precision);
        return path;
    }

    [Test]
    public void MappedOpen_ScoresLikeTheLoadedModel_AndRanksLikeFloat32([Values(WeightPrecision.Float16, WeightPrecision.Int8)] WeightPrecision precision)
    {
        var (model, test, labels) = Trained.Value;
        string path = SavedQuantized(model, precision, "q.xmr");
        using var mapped = XLinearModelFile.OpenMapped(path);
        Assert.That(mapped.IsMemoryMapped, Is.True);
        var loaded = XLinearModelFile.Load(path);
        Assert.That(XLinearModelFile.StoredPrecision(loaded), Is.EqualTo(precision));
        // The loaded model holds the decoded weights: scoring them in float gives the mapped scores up to rounding.
        var fromLoaded = new XLinearPredictor(loaded).Predict(test);
        var fromMapped = mapped.Predict(test);
        Assert.That(fromMapped.Values.ToArray(), Is.EqualTo(fromLoaded.Values.ToArray()).Within(1e-4f));
        var p1Float = XmcMetrics.Evaluate(labels, new XLinearPredictor(model).Predict(test), 5).PrecisionAtK[0];
        var p1Quantized = XmcMetrics.Evaluate(labels, fromMapped, 5).PrecisionAtK[0];
        Assert.That(p1Quantized, Is.EqualTo(p1Float).Within(precision == WeightPrecision.Float16 ? 0.005 : 0.02), "P@1");
    }

    [Test]
    public void Weights_AreStoredOnce_AndTheFileShrinks()
    {
        var (model, _, _) = Trained.Value;
        string f32 = PathOf("f32.xmr");
        XLinearModelFile.Save(f32, model);
        long f16 = new FileInfo(SavedQuantized(model, WeightPrecision.Float16, "f16.xmr")).Length;
        long i8 = new FileInfo(SavedQuantized(model, WeightPrecision.Int8, "i8.xmr")).Length;
        long full = new FileInfo(f32).Length;
        Assert.That(f16, Is.LessThan(full * 0.5), "no CSC copy, 2-byte values");
        Assert.That(i8, Is.LessThan(f16), "1-byte values");
        Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(File.ReadAllBytes(f32).AsSpan(8)), Is.EqualTo(2u), "float32 one-tree files stay version 2");
        Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(File.ReadAllBytes(PathOf("f16.xmr")).AsSpan(8)), Is.EqualTo(4u));
    }

    [Test]
    public void ReadOpen_ScoresTheQuantisedValuesToo([Values(WeightPrecision.Float16, WeightPrecision.Int8)] WeightPrecision precision)
    {
        var (model, test, _) = Trained.Value;
        string path = SavedQuantized(model, precision, "q.xmr");
        using var mapped = XLinearServingModel.Open(path);
        using var read = XLinearModelFormat.Instance.OpenModel(path, ModelOpenOptions.Default with { Mapped = false });
        var a = mapped.Predict(test, mapped.Options(topK: 5));
        var b = read.Predict(test, read.Options(topK: 5));
        Assert.That(b.Indices.ToArray(), Is.EqualTo(a.Indices.ToArray()));
        Assert.That(b.Values.ToArray(), Is.EqualTo(a.Values.ToArray()).Within(1e-6f));
    }

    [Test]
    public void ABackend_IsRefusedForAQuantisedFile()
    {
        var (model, _, _) = Trained.Value;
        string path = SavedQuantized(model, WeightPrecision.Int8, "q.xmr");
        Assert.That(() => XLinearModelFormat.Instance.OpenModel(path, ModelOpenOptions.Default with { Backend = XmrEngine.Kernels.ManagedKernels.Instance }),
            Throws.ArgumentException.With.Message.Contains("i8-quantised").And.Message.Contains("float32 weights"));
    }

    [Test]
    public void Ensembles_SaveAndMap([Values(WeightPrecision.Float16, WeightPrecision.Int8)] WeightPrecision precision)
    {
        var (x, y) = SyntheticXmrGenerator.Generate(new SyntheticXmrOptions { Instances = 600, Features = 500, Labels = 80, Seed = 3 });
        var ensemble = XLinearTrainer.TrainEnsemble(x, y, new XLinearTrainOptions { Trees = 2 });
        string path = PathOf("e.xmr");
        XLinearModelFile.SaveQuantized(path, ensemble, precision);
        using var mapped = XLinearModelFile.OpenMapped(path);
        var loaded = XLinearModelFile.LoadEnsemble(path, out _);
        Assert.That(loaded.Trees.Count, Is.EqualTo(2));
        var expected = new XLinearPredictor(loaded).Predict(x);
        Assert.That(mapped.Predict(x).Values.ToArray(), Is.EqualTo(expected.Values.ToArray()).Within(1e-4f));
    }

    [Test]
    public void LoadedQuantisedModel_IsNotSavedAtAnotherPrecision()
    {
        var (model, _, _) = Trained.Value;
        string f16 = SavedQuantized(model, WeightPrecision.Float16, "f16.xmr");
        var loaded = XLinearModelFile.Load(f16, out var metadata);
        Assert.That(() => XLinearModelFile.Save(PathOf("back.xmr"), loaded),
            Throws.InvalidOperationException.With.Message.Contains("quantisation loses information"));
        Assert.That(() => XLinearModelFile.SaveQuantized(PathOf("i8.xmr"), new XLinearEnsemble(loaded), WeightPrecision.Int8),
            Throws.InvalidOperationException.With.Message.Contains("f16-quantised"));
        Assert.That(File.Exists(PathOf("back.xmr")), Is.False);
        // The same precision again is exact: half -> float -> half gives the same bits, so the same file.
        XLinearModelFile.SaveQuantized(PathOf("again.xmr"), new XLinearEnsemble(loaded), WeightPrecision.Float16, metadata);
        Assert.That(File.ReadAllBytes(PathOf("again.xmr")), Is.EqualTo(File.ReadAllBytes(f16)));
    }

    [Test]
    public void NewerVersion_IsRefusedNamingIt()
    {
        var (model, _, _) = Trained.Value;
        var bytes = File.ReadAllBytes(SavedQuantized(model, WeightPrecision.Int8, "q.xmr"));
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), 5);
        ModelFileSurgery.Reseal(bytes);
        File.WriteAllBytes(PathOf("v5.xmr"), bytes);
        Assert.That(() => XLinearModelFile.Load(PathOf("v5.xmr")),
            Throws.TypeOf<XmrDataException>().With.Message.Contains("unsupported format version 5").And.Message.Contains("versions 1 to 4"));
    }

    [Test]
    public void UnknownPrecisionCode_IsRefused()
    {
        var (model, _, _) = Trained.Value;
        var bytes = File.ReadAllBytes(SavedQuantized(model, WeightPrecision.Float16, "q.xmr"));
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(52), 7);
        ModelFileSurgery.Reseal(bytes);
        File.WriteAllBytes(PathOf("p7.xmr"), bytes);
        Assert.That(() => XLinearModelFile.OpenMapped(PathOf("p7.xmr")), Throws.TypeOf<XmrDataException>().With.Message.Contains("unknown weight precision code 7"));
    }

    [Test]
    public void SparseChildOffsetOutOfRange_IsRefusedByMappedOpenAndLoad([Values(WeightPrecision.Float16, WeightPrecision.Int8)] WeightPrecision precision)
    {
        // A one-level model with a sparse chunk: 3 features, 8 labels, 3 weights over 3 rows (below the dense density).
        var chain = XmrEngine.Indexing.ClusterChain.Flat(8);
        var w = new CscMatrix(4, 8, [0, 1, 2, 3, 3, 3, 3, 3, 3], [0, 1, 2], [0.5f, -1f, 2f]);
        string path = SavedQuantized(new XLinearModel(chain, [w], 3, 1f), precision, "q.xmr");
        var bytes = File.ReadAllBytes(path);
        var section = ModelFileSurgery.Sections(bytes).Single(s => s.Kind == 5);
        // Entries follow: preamble, chunk row start (2 ints), dense flag (1), row ids, row pointers; each 64-aligned.
        int rows = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan((int)section.Offset + 8));
        long at = section.Offset + 64;
        long Next(long n, int size)
        {
            long start = (at + 63) / 64 * 64;
            at = start + n * size;
            return start;
        }
        Next(2, 4);
        long dense = Next(1, 1);
        Assert.That(bytes[dense], Is.EqualTo(0), "the chunk is sparse");
        Next(rows, 4);
        Next(rows + 1, 8);
        long entries = Next(0, 1);
        // An 8-bit row starts with its 4-byte scale; the first entry's child offset follows.
        int head = precision == WeightPrecision.Int8 ? 4 : 0;
        var damaged = (byte[])bytes.Clone();
        BinaryPrimitives.WriteUInt16LittleEndian(damaged.AsSpan((int)entries + head), 9);
        ModelFileSurgery.Reseal(damaged);
        File.WriteAllBytes(path, damaged);
        Assert.That(() => XLinearModelFile.OpenMapped(path), Throws.TypeOf<XmrDataException>().With.Message.Contains("child offset 9"));
        Assert.That(() => XLinearModelFile.Load(path), Throws.TypeOf<XmrDataException>().With.Message.Contains("child offset 9"));
        if (precision != WeightPrecision.Int8) return;
        BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan((int)entries), float.NaN);
        ModelFileSurgery.Reseal(bytes);
        File.WriteAllBytes(path, bytes);
        Assert.That(() => XLinearModelFile.OpenMapped(path), Throws.TypeOf<XmrDataException>().With.Message.Contains("has scale NaN"));
    }

    [Test]
    public void OneWeightModels_RoundTrip([Values(WeightPrecision.Float16, WeightPrecision.Int8)] WeightPrecision precision)
    {
        var chain = XmrEngine.Indexing.ClusterChain.Flat(2);
        var w = new CscMatrix(3, 2, [0, 1, 1], [1], [-0.75f]);
        string path = SavedQuantized(new XLinearModel(chain, [w], 2, 1f), precision, "one.xmr");
        var loaded = XLinearModelFile.Load(path);
        Assert.That(loaded.Weights[0].Values.ToArray(), Is.EqualTo(new[] { -0.75f }), "exact in both: -0.75 is a half, and the column's own maximum in i8");
        using var mapped = XLinearModelFile.OpenMapped(path);
        var scores = mapped.Predict([1], [2f], new PredictOptions { TopK = 2, BeamSize = 2, PostProcessor = PostProcessor.Noop });
        Assert.That(scores.ToArray().Select(s => (s.Label, s.Score)), Is.EquivalentTo(new[] { (1, 0f), (0, -1.5f) }));
    }
}
