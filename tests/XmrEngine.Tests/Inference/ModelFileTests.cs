using System.Buffers.Binary;
using System.IO.Hashing;
using XmrEngine.IO;
using XmrEngine.Inference;
using XmrEngine.Kernels;
using XmrEngine.Models;
using XmrEngine.Persistence;
using XmrEngine.Sparse;
using XmrEngine.Tests.Support;
using XmrEngine.Training;

namespace XmrEngine.Tests.Inference;

/// <summary>Round trips and corruption handling of <see cref="XLinearModelFile"/>.</summary>
public class ModelFileTests
{
    private TempDir _temp = null!;
    private string _dir = "";

    [SetUp]
    public void SetUp()
    {
        _temp = new TempDir();
        _dir = _temp.Path;
    }

    [TearDown]
    public void TearDown() => _temp.Dispose();

    private static readonly ModelMetadata Sample = new()
    {
        Prediction = PredictOptions.Default with { BeamSize = 12, TopK = 7 },
        NormalizeRows = false,
        TrainingRowNorm = 2.5,
        Training = new TrainingRecord { Solver = SolverType.L1Hinge, Negatives = NegativeSampling.TfnMan, ManBeamSize = 12, Seed = 3, Cp = 2, Preset = "sample" },
        TrainingNotes = new Dictionary<string, string> { ["note"] = "kept" },
    };

    private string SavedModel(out XLinearModel model, bool withMetadata = true)
    {
        model = RandomModels.Model(3, 120, 0.08, seed: 77, allowChildless: true);
        string path = Path.Combine(_dir, "model.xmr");
        XLinearModelFile.Save(path, model, withMetadata ? Sample : null);
        return path;
    }

    [Test]
    public void RoundTrip_GivesIdenticalModelAndPredictions()
    {
        string path = SavedModel(out var model);
        var loaded = XLinearModelFile.Load(path, out ModelMetadata metadata);
        Assert.That(metadata.Prediction, Is.EqualTo(Sample.Prediction));
        Assert.That(metadata.NormalizeRows, Is.False);
        Assert.That(metadata.TrainingRowNorm, Is.EqualTo(2.5));
        Assert.That(metadata.Training, Is.EqualTo(Sample.Training));
        Assert.That(metadata.TrainingNotes, Is.EquivalentTo(Sample.TrainingNotes));
        Assert.That(loaded.FeatureCount, Is.EqualTo(model.FeatureCount));
        Assert.That(loaded.Bias, Is.EqualTo(model.Bias));
        for (int t = 0; t < model.Chain.Depth; t++)
        {
            Assert.That(loaded.Chain.Levels[t].Indices.ToArray(), Is.EqualTo(model.Chain.Levels[t].Indices.ToArray()));
            Assert.That(loaded.Chain.Levels[t].Cols, Is.EqualTo(model.Chain.Levels[t].Cols));
            Assert.That(loaded.Weights[t].Pointers.ToArray(), Is.EqualTo(model.Weights[t].Pointers.ToArray()));
            Assert.That(loaded.Weights[t].Indices.ToArray(), Is.EqualTo(model.Weights[t].Indices.ToArray()));
            Assert.That(loaded.Weights[t].Values.ToArray(), Is.EqualTo(model.Weights[t].Values.ToArray()));
        }
        var x = RandomSparse.Csr(40, 120, 0.05, seed: 4);
        var a = new XLinearPredictor(model).Predict(x);
        var b = new XLinearPredictor(loaded).Predict(x);
        Assert.That(b.Indices.ToArray(), Is.EqualTo(a.Indices.ToArray()));
        Assert.That(b.Values.ToArray(), Is.EqualTo(a.Values.ToArray()));
    }

    [Test]
    public void RoundTrip_WithoutMetadata_AndOverwrite()
    {
        string path = SavedModel(out _, withMetadata: false);
        var model2 = RandomModels.Model(1, 10, 0.5, seed: 3);
        XLinearModelFile.Save(path, model2);
        var loaded = XLinearModelFile.Load(path, out ModelMetadata metadata);
        Assert.That(metadata, Is.SameAs(ModelMetadata.Default));
        Assert.That(loaded.FeatureCount, Is.EqualTo(10));
        Assert.That(Directory.GetFiles(_dir), Has.Length.EqualTo(1), "no temporary files left behind");
    }

    [Test]
    public void ArraysAreAligned()
    {
        string path = SavedModel(out _);
        var bytes = File.ReadAllBytes(path);
        int sections = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(28));
        for (int i = 0; i < sections; i++)
        {
            long offset = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(64 + 32 * i + 8));
            Assert.That(offset % 64, Is.Zero, $"section {i}");
        }
    }

    [Test]
    public void InvalidMetadata_IsRejectedWithTheFieldNamed()
    {
        Assert.That(() => ModelMetadata.Parse("{not json", "m.xmr"), Throws.TypeOf<XmrDataException>().With.Message.Contains("m.xmr").And.Message.Contains("not valid"));
        Assert.That(() => ModelMetadata.Parse("[1]", "m.xmr"), Throws.TypeOf<XmrDataException>().With.Message.Contains("JSON object"));
        Assert.That(() => ModelMetadata.Parse("{\"normalize\": \"l3\"}", "m.xmr"), Throws.TypeOf<XmrDataException>().With.Message.Contains("normalize"));
        Assert.That(() => ModelMetadata.Parse("{\"beam_size\": 0}", "m.xmr"), Throws.TypeOf<XmrDataException>().With.Message.Contains("beam_size"));
        Assert.That(() => ModelMetadata.Parse("{\"post_processor\": \"bogus\"}", "m.xmr"), Throws.TypeOf<XmrDataException>().With.Message.Contains("post_processor"));
    }

    [Test]
    public void MetadataOfOlderFilesIsRead()
    {
        // What xmr train wrote before the typed record: a flat object, no normalisation rule.
        var m = ModelMetadata.Parse("{\"beam_size\":20,\"top_k\":5,\"post_processor\":\"l3-hinge\",\"solver\":\"l2-hinge\",\"seed\":0,\"extra\":[1]}", "old.xmr");
        Assert.That(m.Prediction, Is.EqualTo(PredictOptions.Default with { BeamSize = 20, TopK = 5 }));
        Assert.That(m.NormalizeRows, Is.Null);
        Assert.That(m.NormalizeByDefault, Is.True);
        Assert.That(m.Training!.Solver, Is.EqualTo(SolverType.L2Hinge));
        Assert.That(m.Training.Seed, Is.EqualTo(0));
        Assert.That(ModelMetadata.Parse(null, "x"), Is.SameAs(ModelMetadata.Default));
        Assert.That(ModelMetadata.Parse(Sample.ToJson(), "x").ToJson(), Is.EqualTo(Sample.ToJson()));
    }

    [TestCase(0)]
    [TestCase(5)]
    [TestCase(40)]
    [TestCase(200)]
    [TestCase(-1)]
    [TestCase(-17)]
    public void TruncatedFile_SaysTruncated(int keep)
    {
        string path = SavedModel(out _);
        var bytes = File.ReadAllBytes(path);
        int length = keep >= 0 ? keep : bytes.Length + keep;
        File.WriteAllBytes(path, bytes[..length]);
        var ex = Assert.Throws<XmrDataException>(() => XLinearModelFile.Load(path));
        Assert.That(ex!.Message, Does.Contain("truncated").And.Contain(path));
    }

    [Test]
    public void FlippedByteInEverySection_IsCaught()
    {
        string path = SavedModel(out _);
        var original = File.ReadAllBytes(path);
        int sections = BinaryPrimitives.ReadInt32LittleEndian(original.AsSpan(28));
        for (int i = 0; i < sections; i++)
        {
            long offset = BinaryPrimitives.ReadInt64LittleEndian(original.AsSpan(64 + 32 * i + 8));
            long length = BinaryPrimitives.ReadInt64LittleEndian(original.AsSpan(64 + 32 * i + 16));
            var bytes = (byte[])original.Clone();
            bytes[offset + length / 2] ^= 0x10;
            File.WriteAllBytes(path, bytes);
            var ex = Assert.Throws<XmrDataException>(() => XLinearModelFile.Load(path), $"section {i}");
            Assert.That(ex!.Message, Does.Contain("checksum mismatch in section"), $"section {i}");
        }
    }

    [TestCase(20, "header checksum mismatch")]
    [TestCase(70, "section table checksum mismatch")]
    public void FlippedByteInHeaderOrTable_IsCaught(int position, string message)
    {
        string path = SavedModel(out _);
        var bytes = File.ReadAllBytes(path);
        bytes[position] ^= 0x01;
        File.WriteAllBytes(path, bytes);
        Assert.That(() => XLinearModelFile.Load(path), Throws.TypeOf<XmrDataException>().With.Message.Contains(message));
    }

    [Test]
    public void FlippedPaddingOrTrailer_IsCaughtByWholeFileChecksum()
    {
        string path = SavedModel(out _);
        var bytes = File.ReadAllBytes(path);
        // The byte just before the trailer is padding in front of it (or the last section's tail).
        bytes[^(16 + 1)] ^= 0x40;
        File.WriteAllBytes(path, bytes);
        Assert.That(() => XLinearModelFile.Load(path), Throws.TypeOf<XmrDataException>().With.Message.Contains("checksum mismatch"));
        bytes[^(16 + 1)] ^= 0x40;
        bytes[^12] ^= 0x01; // inside the stored whole-file hash
        File.WriteAllBytes(path, bytes);
        Assert.That(() => XLinearModelFile.Load(path), Throws.TypeOf<XmrDataException>().With.Message.Contains("whole-file checksum mismatch"));
    }

    [Test]
    public void BadMagic_SaysNotAModel()
    {
        string path = Path.Combine(_dir, "notes.txt");
        File.WriteAllText(path, "hello, this is not a model file at all, just some text that is long enough");
        Assert.That(() => XLinearModelFile.Load(path), Throws.TypeOf<XmrDataException>().With.Message.Contains("bad magic").And.Message.Contains("hello, t"));
    }

    [Test]
    public void NewerVersion_SaysUnsupported()
    {
        string path = SavedModel(out _);
        var bytes = File.ReadAllBytes(path);
        // The newest version this build reads is the quantised one (4), above FormatVersion (3).
        uint newer = XmrEngine.Persistence.ModelFileFormat.NewestReadableVersion + 1;
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), newer);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(60), Crc32.HashToUInt32(bytes.AsSpan(0, 60)));
        File.WriteAllBytes(path, bytes);
        Assert.That(() => XLinearModelFile.Load(path), Throws.TypeOf<XmrDataException>().With.Message.Contains($"unsupported format version {newer}"));
    }

    [Test]
    public void ExtraBytes_AreReported()
    {
        string path = SavedModel(out _);
        File.AppendAllText(path, "junk");
        Assert.That(() => XLinearModelFile.Load(path), Throws.TypeOf<XmrDataException>().With.Message.Contains("4 unexpected bytes"));
    }
}
