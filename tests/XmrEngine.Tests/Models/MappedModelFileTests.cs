using System.Buffers.Binary;
using XmrEngine.Inference;
using XmrEngine.IO;
using XmrEngine.Models;
using XmrEngine.Sparse;
using XmrEngine.Synthetic;
using XmrEngine.Tests.Inference;
using XmrEngine.Tests.Support;
using XmrEngine.Training;
using XmrEngine.Persistence;

namespace XmrEngine.Tests.Models;

/// <summary>
/// <see cref="XLinearModelFile.OpenMapped(string, bool)"/>: predictions equal the read-and-compile path,
/// concurrent use, disposal, fallback for files without compiled levels, and corrupt or crafted files.
/// </summary>
public class MappedModelFileTests
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

    private string Saved(XLinearModel model, string name = "model.xmr", ModelMetadata? metadata = null, bool compiled = true)
    {
        string path = Path.Combine(_dir, name);
        XLinearModelFile.Save(path, model, metadata, compiled);
        return path;
    }

    private static void AssertSamePredictions(XLinearPredictor expected, XLinearPredictor actual, CsrMatrix x, PredictOptions? options = null)
    {
        var a = expected.Predict(x, options);
        var b = actual.Predict(x, options);
        Assert.That(b.Pointers.ToArray(), Is.EqualTo(a.Pointers.ToArray()), "row pointers");
        Assert.That(b.Indices.ToArray(), Is.EqualTo(a.Indices.ToArray()), "labels");
        Assert.That(b.Values.ToArray(), Is.EqualTo(a.Values.ToArray()), "scores");
        for (int i = 0; i < x.Rows; i++)
        {
            var p = expected.Predict(x.Row(i).Indices, x.Row(i).Values, options);
            var q = actual.Predict(x.Row(i).Indices, x.Row(i).Values, options);
            Assert.That(q, Is.EqualTo(p), $"single query {i}");
        }
    }

    [TestCase(1, 60, 0.3, 1f, 11)]
    [TestCase(2, 150, 0.05, 1f, 12)]
    [TestCase(3, 120, 0.08, 0f, 13)]
    [TestCase(4, 300, 0.02, 1f, 14)]
    [TestCase(3, 40, 0.9, 2.5f, 15)]
    public void Mapped_EqualsReadAndCompile_OnRandomModels(int depth, int features, double density, float bias, int seed)
    {
        var model = RandomModels.Model(depth, features, density, seed, bias: bias, allowChildless: true);
        string path = Saved(model, metadata: new ModelMetadata { Prediction = PredictOptions.Default with { TopK = 7 } });
        using var mapped = XLinearModelFile.OpenMapped(path, PredictOptions.Default with { BeamSize = 3 }, verifyChecksums: true, out ModelMetadata metadata);
        Assert.That(mapped.IsMemoryMapped, Is.True);
        Assert.That(metadata.Prediction.TopK, Is.EqualTo(7));
        using (var savedDefaults = XLinearModelFile.OpenMapped(path, null, verifyChecksums: false, out _))
            Assert.That(savedDefaults.Defaults.TopK, Is.EqualTo(7), "null defaults: the ones saved with the model");
        Assert.That(mapped.FeatureCount, Is.EqualTo(model.FeatureCount));
        Assert.That(mapped.LabelCount, Is.EqualTo(model.LabelCount));
        Assert.That(mapped.Depth, Is.EqualTo(depth));
        Assert.That(mapped.Bias, Is.EqualTo(bias));
        Assert.That(mapped.Defaults.BeamSize, Is.EqualTo(3));
        var read = new XLinearPredictor(XLinearModelFile.Load(path), mapped.Defaults);
        var x = RandomSparse.Csr(60, features, 0.1, seed: seed + 100);
        AssertSamePredictions(read, mapped, x);
        AssertSamePredictions(read, mapped, x, new PredictOptions { BeamSize = 50, TopK = 20, PostProcessor = PostProcessor.Parse("sigmoid") });
        // Also against the CSC reference scorer, which never saw the compiled layout.
        var reference = new XLinearPredictor(model, mapped.Defaults, WeightLayout.Csc);
        var r = reference.Predict(x);
        var m = mapped.Predict(x);
        Assert.That(m.Indices.ToArray(), Is.EqualTo(r.Indices.ToArray()));
        Assert.That(m.Values.ToArray(), Is.EqualTo(r.Values.ToArray()).Within(1e-5f));
    }

    [Test]
    public void Mapped_EqualsReadAndCompile_OnTrainedModel()
    {
        var (x, y) = SyntheticXmrGenerator.Generate(new SyntheticXmrOptions { Instances = 1_300, Features = 2_000, Labels = 300, Seed = 21 });
        var train = Enumerable.Range(0, 1_000).ToArray();
        var model = XLinearTrainer.Train(x.SelectRows(train), y.SelectRows(train), new XLinearTrainOptions());
        string path = Saved(model);
        using var mapped = XLinearModelFile.OpenMapped(path);
        Assert.That(model.Chain.Depth, Is.GreaterThan(1), "a multi-level tree");
        AssertSamePredictions(new XLinearPredictor(model), mapped, x.SelectRows(Enumerable.Range(1_000, 300).ToArray()));
    }

    [Test]
    [Category("RealData")]
    public void Mapped_EqualsReadAndCompile_OnBibtex()
    {
        var trainSet = XmcTextFormat.Read(SharedData.RequireFile("bibtex/train.txt"));
        var testSet = XmcTextFormat.Read(SharedData.RequireFile("bibtex/test.txt"));
        var model = XLinearTrainer.Train(trainSet.Features.NormalizeRows(), trainSet.Labels, new XLinearTrainOptions());
        string path = Saved(model);
        using var mapped = XLinearModelFile.OpenMapped(path);
        var read = new XLinearPredictor(XLinearModelFile.Load(path));
        var tx = testSet.Features.NormalizeRows();
        var a = read.Predict(tx);
        var b = mapped.Predict(tx);
        Assert.That(b.Pointers.ToArray(), Is.EqualTo(a.Pointers.ToArray()));
        Assert.That(b.Indices.ToArray(), Is.EqualTo(a.Indices.ToArray()));
        Assert.That(b.Values.ToArray(), Is.EqualTo(a.Values.ToArray()));
    }

    [Test]
    public void Mapped_SingleQuery_AllocatesNothing()
    {
        var model = RandomModels.Model(3, 200, 0.05, seed: 5);
        using var p = XLinearModelFile.OpenMapped(Saved(model));
        var (idx, val) = RandomModels.Query(200, 30, new Random(9));
        var output = new ScoredLabel[10];
        for (int i = 0; i < 5; i++) p.Predict(idx, val, output);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 200; i++) p.Predict(idx, val, output);
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.EqualTo(0));
    }

    [Test]
    public void ConcurrentQueries_MatchSequential()
    {
        var model = RandomModels.Model(3, 300, 0.05, seed: 8, allowChildless: true);
        using var p = XLinearModelFile.OpenMapped(Saved(model));
        var x = RandomSparse.Csr(200, 300, 0.08, seed: 31);
        var expected = Enumerable.Range(0, x.Rows).Select(i => p.Predict(x.Row(i).Indices, x.Row(i).Values)).ToArray();
        var actual = new ScoredLabel[4][][];
        var threads = Enumerable.Range(0, 4).Select(t => new Thread(() =>
        {
            var mine = new ScoredLabel[x.Rows][];
            // Each thread walks the queries in a different order so that they overlap in time.
            for (int n = 0; n < x.Rows; n++)
            {
                int i = t % 2 == 0 ? (n + 50 * t) % x.Rows : x.Rows - 1 - (n + 50 * t) % x.Rows;
                mine[i] = p.Predict(x.Row(i).Indices, x.Row(i).Values);
            }
            actual[t] = mine;
        })).ToArray();
        foreach (var th in threads) th.Start();
        foreach (var th in threads) th.Join();
        for (int t = 0; t < 4; t++)
            for (int i = 0; i < x.Rows; i++)
                Assert.That(actual[t][i], Is.EqualTo(expected[i]), $"thread {t}, query {i}");
    }

    [Test]
    public void Dispose_ThenPredict_ThrowsObjectDisposed_NamingTheFile()
    {
        var model = RandomModels.Model(2, 50, 0.2, seed: 3);
        string path = Saved(model);
        var p = XLinearModelFile.OpenMapped(path);
        var (idx, val) = RandomModels.Query(50, 10, new Random(1));
        Assert.That(p.Predict(idx, val), Is.Not.Empty);
        p.Dispose();
        p.Dispose(); // idempotent
        Assert.That(() => p.Predict(idx, val), Throws.TypeOf<ObjectDisposedException>().With.Message.Contains(path));
        Assert.That(() => p.Predict(new CsrMatrix(1, 50, [0, 0], [], [])), Throws.TypeOf<ObjectDisposedException>());
        // The file is no longer in use: it can be replaced and mapped again.
        XLinearModelFile.Save(path, model);
        using var again = XLinearModelFile.OpenMapped(path);
        Assert.That(again.Predict(idx, val), Is.EqualTo(new XLinearPredictor(model).Predict(idx, val)));
    }

    private static bool IsMappedInThisProcess(string path) => File.ReadAllText("/proc/self/maps").Contains(path);

    [Test]
    public void Dispose_Unmaps_AndAForgottenPredictorIsUnmappedByTheFinalizers()
    {
        if (!OperatingSystem.IsLinux()) Assert.Ignore("Reads /proc/self/maps.");
        var model = RandomModels.Model(2, 50, 0.2, seed: 3);
        string disposed = Saved(model, "disposed.xmr"), forgotten = Saved(model, "forgotten.xmr");
        var p = XLinearModelFile.OpenMapped(disposed);
        Assert.That(IsMappedInThisProcess(disposed), Is.True);
        p.Dispose();
        Assert.That(IsMappedInThisProcess(disposed), Is.False);
        // Checked inside, while the predictor is still referenced: any GC after it returns (another test's, in
        // parallel) may already run the finalizers, so "still mapped" cannot be asserted out here.
        OpenAndForget(forgotten);
        for (int i = 0; i < 3; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        Assert.That(IsMappedInThisProcess(forgotten), Is.False);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void OpenAndForget(string path)
    {
        var p = XLinearModelFile.OpenMapped(path);
        Assert.That(p.Predict([1, 2], [1f, 1f]), Is.Not.Empty);
        Assert.That(IsMappedInThisProcess(path), Is.True);
        GC.KeepAlive(p);
    }

    [Test]
    public void Dispose_DuringConcurrentQueries_LetsRunningCallsFinishAndStopsNewOnes()
    {
        var model = RandomModels.Model(3, 300, 0.05, seed: 12);
        var reference = new XLinearPredictor(model);
        var p = XLinearModelFile.OpenMapped(Saved(model));
        var x = RandomSparse.Csr(100, 300, 0.08, seed: 2);
        var expected = Enumerable.Range(0, x.Rows).Select(i => reference.Predict(x.Row(i).Indices, x.Row(i).Values)).ToArray();
        var completed = new int[3];
        var failures = new List<string>();
        using var started = new CountdownEvent(3);
        var threads = Enumerable.Range(0, 3).Select(t => new Thread(() =>
        {
            started.Signal();
            try
            {
                for (int n = 0; ; n++)
                {
                    int i = n % x.Rows;
                    var r = p.Predict(x.Row(i).Indices, x.Row(i).Values);
                    if (!r.SequenceEqual(expected[i])) lock (failures) failures.Add($"thread {t}, query {i}");
                    completed[t]++;
                }
            }
            catch (ObjectDisposedException)
            {
                // The expected way out once the predictor is disposed.
            }
        })).ToArray();
        foreach (var th in threads) th.Start();
        started.Wait();
        while (completed.Sum() < 300) Thread.Yield();
        p.Dispose();
        foreach (var th in threads) Assert.That(th.Join(TimeSpan.FromSeconds(60)), Is.True, "worker stopped");
        Assert.That(failures, Is.Empty);
        Assert.That(completed.Sum(), Is.GreaterThanOrEqualTo(300));
    }

    [Test]
    public void FileWithoutCompiledLevels_FallsBackToReadAndCompile()
    {
        var model = RandomModels.Model(2, 80, 0.1, seed: 4);
        string path = Saved(model, compiled: false);
        using var p = XLinearModelFile.OpenMapped(path);
        Assert.That(p.IsMemoryMapped, Is.False);
        var x = RandomSparse.Csr(20, 80, 0.1, seed: 5);
        AssertSamePredictions(new XLinearPredictor(model), p, x);
        Assert.That(new FileInfo(path).Length, Is.LessThan(new FileInfo(Saved(model, "with.xmr")).Length), "compiled levels make the file larger");
    }

    [Test]
    public void Version1File_IsStillReadAndMapsByFallback()
    {
        var model = RandomModels.Model(2, 80, 0.1, seed: 6);
        string path = Saved(model, compiled: false);
        // A version-1 file is exactly a version-2 file without compiled levels, under version number 1.
        var bytes = File.ReadAllBytes(path);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), 1);
        ModelFileSurgery.Reseal(bytes);
        File.WriteAllBytes(path, bytes);
        var loaded = XLinearModelFile.Load(path);
        Assert.That(loaded.Weights[1].Values.ToArray(), Is.EqualTo(model.Weights[1].Values.ToArray()));
        using var p = XLinearModelFile.OpenMapped(path);
        Assert.That(p.IsMemoryMapped, Is.False);
        AssertSamePredictions(new XLinearPredictor(model), p, RandomSparse.Csr(10, 80, 0.1, seed: 7));
    }

    [Test]
    public void Load_OfVersion2File_IgnoresCompiledLevels()
    {
        var model = RandomModels.Model(3, 100, 0.1, seed: 9);
        string path = Saved(model);
        Assert.That(ModelFileSurgery.Sections(File.ReadAllBytes(path)).Count(s => s.Kind == 4), Is.EqualTo(3));
        var loaded = XLinearModelFile.Load(path);
        for (int t = 0; t < 3; t++)
            Assert.That(loaded.Weights[t].Values.ToArray(), Is.EqualTo(model.Weights[t].Values.ToArray()));
    }

    [TestCase(0)]
    [TestCase(5)]
    [TestCase(40)]
    [TestCase(200)]
    [TestCase(-1)]
    [TestCase(-17)]
    [TestCase(-1000)]
    public void TruncatedFile_SaysTruncated(int keep)
    {
        string path = Saved(RandomModels.Model(3, 120, 0.08, seed: 77, allowChildless: true));
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(keep >= 0 ? keep : bytes.Length + keep)]);
        var ex = Assert.Throws<XmrDataException>(() => XLinearModelFile.OpenMapped(path));
        Assert.That(ex!.Message, Does.Contain("truncated").And.Contain(path));
    }

    [Test]
    public void FlippedByteInEverySection_IsCaught_NamingTheSection()
    {
        string path = Saved(RandomModels.Model(3, 120, 0.08, seed: 77, allowChildless: true), metadata: new ModelMetadata { Prediction = PredictOptions.Default with { BeamSize = 10 } });
        var original = File.ReadAllBytes(path);
        foreach (var s in ModelFileSurgery.Sections(original))
        {
            var bytes = (byte[])original.Clone();
            bytes[s.Offset + s.Length / 2] ^= 0x10;
            File.WriteAllBytes(path, bytes);
            var ex = Assert.Throws<XmrDataException>(() => XLinearModelFile.OpenMapped(path), s.Name);
            Assert.That(ex!.Message, Does.Contain($"checksum mismatch in section '{s.Name}'").And.Contain(path));
        }
    }

    [Test]
    public void FlippedWeightValue_WithoutChecksums_IsNotNoticed_ButStillSafe()
    {
        var model = RandomModels.Model(2, 60, 0.3, seed: 2);
        string path = Saved(model);
        var bytes = File.ReadAllBytes(path);
        var (_, layout) = ModelFileSurgery.Compiled(bytes, level: 1);
        // The last 4-byte slot of a level is a weight (dense value or the value half of a sparse pair).
        bytes[layout.Slots + 4 * (layout.SlotCount - 1) + 1] ^= 0x01;
        File.WriteAllBytes(path, bytes);
        Assert.That(() => XLinearModelFile.OpenMapped(path), Throws.TypeOf<XmrDataException>().With.Message.Contains("checksum mismatch in section 'compiled level 1'"));
        using var p = XLinearModelFile.OpenMapped(path, verifyChecksums: false);
        Assert.That(p.IsMemoryMapped, Is.True);
        Assert.That(p.Predict([1, 2, 3], [1f, 1f, 1f]), Is.Not.Empty);
    }

    /// <summary>Structural damage with valid checksums (a crafted file): rejected by validation, naming the section.</summary>
    [TestCase("chunk row start", "has row pointers")]
    [TestCase("dense flag", "dense flag")]
    [TestCase("row id above bias", "ids must ascend")]
    [TestCase("row ids descending", "ids must ascend")]
    [TestCase("row pointer decreasing", "slot pointers")]
    [TestCase("child offset", "child offset")]
    [TestCase("feature index entry", "feature index entry")]
    [TestCase("feature index start", "feature index")]
    [TestCase("slot count", "needs")]
    [TestCase("negative rows", "out-of-range counts")]
    [TestCase("chunk count", "chunks")]
    [TestCase("bias row", "features")]
    public void CraftedCompiledLevel_IsRejected(string damage, string message)
    {
        // Sparse chunks (low density) so that child offsets exist; two rows per chunk at least.
        var model = RandomModels.Model(2, 400, 0.02, seed: 19);
        string path = Saved(model);
        var bytes = File.ReadAllBytes(path);
        var (entry, c) = ModelFileSurgery.Compiled(bytes, level: 1);
        var b = bytes;
        int I(long at) => BinaryPrimitives.ReadInt32LittleEndian(b.AsSpan((int)at));
        void W(long at, int v) => BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan((int)at), v);
        long L(long at) => BinaryPrimitives.ReadInt64LittleEndian(b.AsSpan((int)at));
        void WL(long at, long v) => BinaryPrimitives.WriteInt64LittleEndian(b.AsSpan((int)at), v);
        int sparseChunk = Enumerable.Range(0, c.Parents).First(p => b[(int)(c.Dense + p)] == 0 && I(c.ChunkRowStart + 4 * (p + 1)) - I(c.ChunkRowStart + 4 * p) >= 2);
        int row = I(c.ChunkRowStart + 4 * sparseChunk);
        switch (damage)
        {
            case "chunk row start": W(c.ChunkRowStart + 4 * 1, c.Rows + 5); break;
            case "dense flag": b[(int)c.Dense] = 2; break;
            case "row id above bias": W(c.RowIds + 4 * row, c.BiasRow + 1); break;
            case "row ids descending": W(c.RowIds + 4 * (row + 1), I(c.RowIds + 4 * row)); break;
            case "row pointer decreasing": WL(c.RowPtr + 8 * (row + 1), L(c.RowPtr + 8 * row)); break;
            case "child offset": W(c.Slots + 4 * L(c.RowPtr + 8 * row), 1_000_000); break;
            case "feature index entry": WL(c.FeatureRows, L(c.FeatureRows) + 2); break;
            case "feature index start": W(c.FeatureRowStart + 4 * 1, I(c.FeatureRowStart) + int.MaxValue / 2); break;
            case "slot count": WL(entry.Offset + 16, c.SlotCount + 1000); break;
            case "negative rows": W(entry.Offset + 8, -3); break;
            case "chunk count": W(entry.Offset, c.Parents - 1); break;
            case "bias row": W(entry.Offset + 4, c.BiasRow + 16); break;
        }
        ModelFileSurgery.Reseal(bytes);
        File.WriteAllBytes(path, bytes);
        var ex = Assert.Throws<XmrDataException>(() => XLinearModelFile.OpenMapped(path));
        Assert.That(ex!.Message, Does.Contain("section 'compiled level 1'").And.Contain(message).And.Contain(path));
        Assert.That(() => XLinearModelFile.Load(path).FeatureCount, Is.EqualTo(400), "Load ignores the compiled levels");
    }

    [TestCase(24, int.MaxValue, "header field out of range")]
    [TestCase(16, -5, "-5 features")]
    [TestCase(16, 7, "the model needs 8x")]
    public void CraftedHeaderField_IsRejected(int position, int value, string message)
    {
        string path = Saved(RandomModels.Model(2, 120, 0.08, seed: 3));
        var bytes = File.ReadAllBytes(path);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(position), value);
        ModelFileSurgery.Reseal(bytes);
        File.WriteAllBytes(path, bytes);
        Assert.That(() => XLinearModelFile.OpenMapped(path), Throws.TypeOf<XmrDataException>().With.Message.Contains(message).And.Message.Contains(path));
        Assert.That(() => XLinearModelFile.Load(path), Throws.TypeOf<XmrDataException>().With.Message.Contains(path));
    }

    /// <summary>Random byte damage with resealed checksums never crashes: open fails cleanly, or predictions run.</summary>
    [Test]
    public void RandomDamageToCompiledLevels_NeverReadsOutOfBounds()
    {
        var model = RandomModels.Model(3, 150, 0.05, seed: 23, allowChildless: true);
        string path = Saved(model);
        var original = File.ReadAllBytes(path);
        var compiled = ModelFileSurgery.Sections(original).Where(s => s.Kind == 4).ToArray();
        var rng = new Random(5);
        var queries = RandomSparse.Csr(20, 150, 0.1, seed: 8);
        int rejected = 0, opened = 0;
        for (int trial = 0; trial < 300; trial++)
        {
            var bytes = (byte[])original.Clone();
            var s = compiled[rng.Next(compiled.Length)];
            int flips = rng.Next(1, 4);
            for (int f = 0; f < flips; f++) bytes[s.Offset + rng.NextInt64(s.Length)] ^= (byte)(1 << rng.Next(8));
            ModelFileSurgery.Reseal(bytes);
            File.WriteAllBytes(path, bytes);
            try
            {
                using var p = XLinearModelFile.OpenMapped(path);
                opened++;
                p.Predict(queries, new PredictOptions { BeamSize = 20 });
            }
            catch (XmrDataException ex)
            {
                Assert.That(ex.Message, Does.Contain($"section '{s.Name}'"));
                rejected++;
            }
        }
        Assert.That(rejected, Is.GreaterThan(0));
        Assert.That(opened, Is.GreaterThan(0), "damage to weight values is only caught by checksums");
    }
}
