using System.Buffers.Binary;
using System.IO.Hashing;
using XmrEngine.Indexing;
using XmrEngine.Inference;
using XmrEngine.IO;
using XmrEngine.Models;
using XmrEngine.Persistence;
using XmrEngine.Sparse;
using XmrEngine.Tests.Training;
using XmrEngine.Training;
using XmrEngine.Tests.Support;

namespace XmrEngine.Tests.Ensembles;

/// <summary>Ensembles of label trees: training, the merge against a dictionary reference, files, concurrency.</summary>
public class EnsemblePredictionTests
{
    private static readonly (CsrMatrix X, CsrMatrix Y) Data = SyntheticData.Make(n: 900, d: 300, labels: 120, seed: 5);

    /// <summary>Deep trees (leaves of at most 8, 4-way), so seeds give visibly different trees.</summary>
    private static readonly XLinearTrainOptions Options = new() { Threads = 2, Indexer = new HierarchicalKMeansOptions { MaxLeafSize = 8, NrSplits = 4 } };

    private static readonly Lazy<XLinearEnsemble> Three = new(() => XLinearTrainer.TrainEnsemble(Data.X, Data.Y, Options with { Trees = 3 }));

    private static IEnumerable<int> Rows => Enumerable.Range(0, 120);

    /// <summary>The reference merge: every tree predicted on its own, then combined in a dictionary.</summary>
    private static List<ScoredLabel> ReferenceMerge(XLinearEnsemble ensemble, int row, PredictOptions options)
    {
        int perTree = Math.Min(Math.Max(options.TopK, options.BeamSize), ensemble.LabelCount);
        var sums = new Dictionary<int, float>();
        foreach (var tree in ensemble.Trees)
        {
            var single = new XLinearPredictor(tree);
            var ranked = single.Predict(Data.X.Row(row).Indices, Data.X.Row(row).Values, options with { TopK = perTree });
            for (int r = 0; r < ranked.Length; r++)
            {
                float v = options.Combination switch
                {
                    EnsembleCombination.Average => ranked[r].Score,
                    EnsembleCombination.ReciprocalRank => 1f / (61 + r),
                    _ => ranked[r].Score,
                };
                sums[ranked[r].Label] = sums.TryGetValue(ranked[r].Label, out var s)
                    ? options.Combination == EnsembleCombination.Max ? Math.Max(s, v) : s + v
                    : v;
            }
        }
        return sums.Select(kv => new ScoredLabel(kv.Key, options.Combination == EnsembleCombination.Average ? kv.Value / ensemble.Trees.Count : kv.Value))
            .OrderByDescending(x => x.Score).ThenBy(x => x.Label).Take(options.TopK).ToList();
    }

    [Test]
    public void TreeZero_IsTheOneTreeModel()
    {
        var one = XLinearTrainer.Train(Data.X, Data.Y, Options);
        var tree0 = Three.Value.Trees[0];
        for (int t = 0; t < one.Chain.Depth; t++)
        {
            Assert.That(tree0.Chain.Levels[t].Indices.ToArray(), Is.EqualTo(one.Chain.Levels[t].Indices.ToArray()), $"tree level {t}");
            Assert.That(tree0.Weights[t].Values.ToArray(), Is.EqualTo(one.Weights[t].Values.ToArray()), $"weights {t}");
        }
        // The other trees really differ (else the ensemble tests below would prove nothing).
        Assert.That(Three.Value.Trees[1].Chain.Levels[^1].Indices.ToArray(), Is.Not.EqualTo(one.Chain.Levels[^1].Indices.ToArray()));
    }

    [Test]
    public void TreesTrainedSideBySide_EqualTreesTrainedOneAfterAnother()
    {
        // Threads = 1 trains the trees in turn; Threads = 3 trains all three at once, one thread each.
        var sequential = XLinearTrainer.TrainEnsemble(Data.X, Data.Y, Options with { Trees = 3, Threads = 1 });
        var sideBySide = XLinearTrainer.TrainEnsemble(Data.X, Data.Y, Options with { Trees = 3, Threads = 3 });
        for (int i = 0; i < 3; i++)
            for (int t = 0; t < sequential.Trees[i].Chain.Depth; t++)
            {
                Assert.That(sideBySide.Trees[i].Chain.Levels[t].Indices.ToArray(), Is.EqualTo(sequential.Trees[i].Chain.Levels[t].Indices.ToArray()), $"tree {i} level {t}");
                Assert.That(sideBySide.Trees[i].Weights[t].Values.ToArray(), Is.EqualTo(sequential.Trees[i].Weights[t].Values.ToArray()), $"tree {i} weights {t}");
            }
    }

    [TestCase(EnsembleCombination.Average, 10, 10)]
    [TestCase(EnsembleCombination.Average, 3, 5)]
    [TestCase(EnsembleCombination.Average, 20, 1)]
    [TestCase(EnsembleCombination.ReciprocalRank, 10, 10)]
    [TestCase(EnsembleCombination.Max, 4, 12)]
    public void Merge_EqualsDictionaryReference(EnsembleCombination combination, int beam, int topK)
    {
        var options = PredictOptions.Default with { BeamSize = beam, TopK = topK, Combination = combination };
        var predictor = new XLinearPredictor(Three.Value, options);
        Assert.That(predictor.TreeCount, Is.EqualTo(3));
        foreach (int row in Rows)
        {
            var expected = ReferenceMerge(Three.Value, row, options);
            var actual = predictor.Predict(Data.X.Row(row).Indices, Data.X.Row(row).Values);
            Assert.That(actual.Select(a => a.Label), Is.EqualTo(expected.Select(e => e.Label)), $"row {row}: labels");
            Assert.That(actual.Select(a => a.Score), Is.EqualTo(expected.Select(e => e.Score)).Within(1e-6f), $"row {row}: scores");
        }
    }

    [TestCase(EnsembleCombination.Average)]
    [TestCase(EnsembleCombination.ReciprocalRank)]
    [TestCase(EnsembleCombination.Max)]
    public void IdenticalTrees_EqualOneTree(EnsembleCombination combination)
    {
        var tree = Three.Value.Trees[1];
        var one = new XLinearPredictor(tree);
        var same = new XLinearPredictor(new XLinearEnsemble([tree, tree, tree, tree]), PredictOptions.Default with { Combination = combination });
        foreach (int row in Rows)
        {
            var expected = one.Predict(Data.X.Row(row).Indices, Data.X.Row(row).Values);
            var actual = same.Predict(Data.X.Row(row).Indices, Data.X.Row(row).Values);
            Assert.That(actual.Select(a => a.Label), Is.EqualTo(expected.Select(e => e.Label)), $"row {row}");
            if (combination != EnsembleCombination.ReciprocalRank)
                Assert.That(actual.Select(a => a.Score), Is.EqualTo(expected.Select(e => e.Score)).Within(1e-6f), $"row {row}");
        }
    }

    [Test]
    public void FirstTrees_SharesTheCompiledLevels_AndPredictsAsThoseTreesAlone()
    {
        var all = new XLinearPredictor(Three.Value);
        for (int k = 1; k <= 3; k++)
        {
            var alone = new XLinearPredictor(new XLinearEnsemble(Three.Value.Trees.Take(k).ToArray()));
            var prefix = all.FirstTrees(k);
            Assert.That(prefix.TreeCount, Is.EqualTo(k));
            foreach (int row in Rows)
                Assert.That(prefix.Predict(Data.X.Row(row).Indices, Data.X.Row(row).Values),
                    Is.EqualTo(alone.Predict(Data.X.Row(row).Indices, Data.X.Row(row).Values)), $"{k} trees, row {row}");
        }
        Assert.That(() => all.FirstTrees(4), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void BatchPrediction_EqualsSingleQueries()
    {
        var predictor = new XLinearPredictor(Three.Value);
        var batch = predictor.Predict(Data.X, maxThreads: 2);
        foreach (int row in Rows)
        {
            var single = predictor.Predict(Data.X.Row(row).Indices, Data.X.Row(row).Values);
            var expected = single.OrderBy(s => s.Label).ToArray();
            Assert.That(batch.Row(row).Indices.ToArray(), Is.EqualTo(expected.Select(e => e.Label).ToArray()), $"row {row}");
            Assert.That(batch.Row(row).Values.ToArray(), Is.EqualTo(expected.Select(e => e.Score).ToArray()), $"row {row}");
        }
    }

    [Test]
    public void SavedEnsemble_LoadsAndMapsToIdenticalPredictions()
    {
        using var temp = new TempDir();
        string path = temp.File("three.xmr");
        var metadata = ModelMetadata.Default with { Prediction = PredictOptions.Default with { BeamSize = 7, Combination = EnsembleCombination.ReciprocalRank } };
        XLinearModelFile.Save(path, Three.Value, metadata);
        Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(File.ReadAllBytes(path).AsSpan(8)), Is.EqualTo(3), "format version");

        var loaded = XLinearModelFile.LoadEnsemble(path, out var savedMetadata);
        Assert.That(savedMetadata.Prediction, Is.EqualTo(metadata.Prediction));
        Assert.That(loaded.Trees, Has.Count.EqualTo(3));
        var original = new XLinearPredictor(Three.Value, metadata.Prediction);
        var read = new XLinearPredictor(loaded, savedMetadata.Prediction);
        using var mapped = XLinearModelFile.OpenMapped(path);
        Assert.That(mapped.IsMemoryMapped && mapped.TreeCount == 3, Is.True);
        foreach (int row in Rows)
        {
            var expected = original.Predict(Data.X.Row(row).Indices, Data.X.Row(row).Values);
            Assert.That(read.Predict(Data.X.Row(row).Indices, Data.X.Row(row).Values), Is.EqualTo(expected), $"read, row {row}");
            Assert.That(mapped.Predict(Data.X.Row(row).Indices, Data.X.Row(row).Values), Is.EqualTo(expected), $"mapped, row {row}");
        }
        // Load (one model) refuses an ensemble instead of silently dropping trees.
        Assert.That(() => XLinearModelFile.Load(path), Throws.TypeOf<XmrDataException>().With.Message.Contains("ensemble of 3 trees"));
    }

    [Test]
    public void OneTreeEnsemble_IsWrittenAsVersion2_ByteForByte()
    {
        using var temp = new TempDir();
        var tree = Three.Value.Trees[0];
        XLinearModelFile.Save(temp.File("model.xmr"), tree);
        XLinearModelFile.Save(temp.File("ensemble.xmr"), new XLinearEnsemble(tree));
        var bytes = File.ReadAllBytes(temp.File("model.xmr"));
        Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8)), Is.EqualTo(2));
        Assert.That(File.ReadAllBytes(temp.File("ensemble.xmr")), Is.EqualTo(bytes));
    }

    [Test]
    public void SectionOfAMissingTree_IsReportedWithTheTree()
    {
        using var temp = new TempDir();
        string path = temp.File("three.xmr");
        XLinearModelFile.Save(path, Three.Value);
        var bytes = File.ReadAllBytes(path);
        int sections = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(28));
        // Point the last section at tree 7 and fix the table checksum, so only the structure check can catch it.
        int entry = 64 + (sections - 1) * 32;
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(entry + 28), 7);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(56), Crc32.HashToUInt32(bytes.AsSpan(64, sections * 32)));
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(60), Crc32.HashToUInt32(bytes.AsSpan(0, 60)));
        File.WriteAllBytes(path, bytes);
        Assert.That(() => XLinearModelFile.LoadEnsemble(path, out _), Throws.TypeOf<XmrDataException>().With.Message.Contains("belongs to tree 7"));
        Assert.That(() => XLinearModelFile.OpenMapped(path), Throws.TypeOf<XmrDataException>().With.Message.Contains("belongs to tree 7"));
    }

    [Test]
    public void ConcurrentEnsemblePredictions_EqualSerialOnes()
    {
        var predictor = new XLinearPredictor(Three.Value);
        var expected = Rows.Select(r => predictor.Predict(Data.X.Row(r).Indices, Data.X.Row(r).Values)).ToArray();
        var mismatches = 0;
        Parallel.For(0, 16, new ParallelOptions { MaxDegreeOfParallelism = 16 }, worker =>
        {
            for (int pass = 0; pass < 20; pass++)
                foreach (int r in Rows)
                    if (!predictor.Predict(Data.X.Row(r).Indices, Data.X.Row(r).Values).SequenceEqual(expected[r]))
                        Interlocked.Increment(ref mismatches);
        });
        Assert.That(mismatches, Is.Zero);
    }

    [Test]
    public void Ensemble_RejectsTreesThatDisagree()
    {
        var other = XLinearTrainer.Train(Data.X, SyntheticData.Make(n: 900, d: 300, labels: 60, seed: 5).Y, Options);
        Assert.That(() => new XLinearEnsemble([Three.Value.Trees[0], other]), Throws.ArgumentException.With.Message.Contains("Tree 1 has 60 labels"));
        Assert.That(() => new XLinearEnsemble(Array.Empty<XLinearModel>()), Throws.ArgumentException);
    }
}
