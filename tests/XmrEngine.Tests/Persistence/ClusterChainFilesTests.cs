using XmrEngine.Indexing;
using XmrEngine.IO;
using XmrEngine.Persistence;
using XmrEngine.Sparse;
using XmrEngine.Tests.Inference;
using XmrEngine.Tests.Support;

namespace XmrEngine.Tests.Persistence;

/// <summary><see cref="ClusterChainFiles"/>: PECOS's cluster-chain folders and code matrices.</summary>
public class ClusterChainFilesTests
{
    private static void AssertSameTree(ClusterChain a, ClusterChain b)
    {
        Assert.That(b.Depth, Is.EqualTo(a.Depth));
        for (int t = 0; t < a.Depth; t++)
        {
            Assert.That(b.Levels[t].Cols, Is.EqualTo(a.Levels[t].Cols), $"level {t}");
            Assert.That(b.Levels[t].Indices.ToArray(), Is.EqualTo(a.Levels[t].Indices.ToArray()), $"level {t}");
        }
    }

    [Test]
    public void AFolderReadsBackTheTreeItWasSavedFrom()
    {
        var chain = RandomModels.Chain(4, new Random(3));
        using var dir = new TempDir();
        ClusterChainFiles.Save(dir.File("chain"), chain);
        Assert.That(File.ReadAllText(dir.File("chain/config.json")), Is.EqualTo($"{{\"len\": {chain.Depth}}}"));
        AssertSameTree(chain, ClusterChainFiles.Load(dir.File("chain")));
    }

    [Test]
    public void ACodeMatrixIsCompletedUpwardsAsPecosDoes()
    {
        // 100 labels in 40 clusters: PECOS groups clusters 16 at a time (0-15, 16-31, 32-39) under one root.
        var parents = Enumerable.Range(0, 100).Select(l => l % 40).ToArray();
        using var dir = new TempDir();
        NpzFormat.Write(dir.File("codes.npz"), ClusterChain.LevelFromParents(parents, 40).ToCsc());
        var chain = ClusterChainFiles.Load(dir.File("codes.npz"));
        Assert.That(chain.Depth, Is.EqualTo(3));
        Assert.That(chain.Levels[0].Rows, Is.EqualTo(3));
        Assert.That(Enumerable.Range(0, 40).Select(c => chain.Parent(1, c)), Is.EqualTo(Enumerable.Range(0, 40).Select(c => c / 16)));
        Assert.That(Enumerable.Range(0, 100).Select(l => chain.Parent(2, l)), Is.EqualTo(parents));
        // Few clusters: directly under the root.
        NpzFormat.Write(dir.File("few.npz"), ClusterChain.LevelFromParents(Enumerable.Range(0, 10).Select(l => l % 4).ToArray(), 4));
        Assert.That(ClusterChainFiles.Load(dir.File("few.npz")).Depth, Is.EqualTo(2));
        NpzFormat.Write(dir.File("wide.npz"), ClusterChain.LevelFromParents(parents, 40));
        Assert.That(ClusterChainFiles.Load(dir.File("wide.npz"), nrSplits: 4).Levels[0].Rows, Is.EqualTo(3), "40 -> 10 -> 3 under the root");
    }

    [Test]
    public void BadFoldersAndMatricesNameTheFile()
    {
        using var dir = new TempDir();
        foreach (var name in new[] { "empty", "nolen", "short" }) Directory.CreateDirectory(dir.File(name));
        Assert.That(Assert.Throws<XmrDataException>(() => ClusterChainFiles.Load(dir.File("empty")))!.Message, Does.Contain("config.json"));
        dir.Write("nolen/config.json", "{}");
        Assert.That(Assert.Throws<XmrDataException>(() => ClusterChainFiles.Load(dir.File("nolen")))!.Message, Does.Contain("len"));
        dir.Write("short/config.json", "{\"len\": 2}");
        NpzFormat.Write(dir.File("short/C0.npz"), ClusterChain.LevelFromParents([0, 0], 1));
        Assert.That(Assert.Throws<XmrDataException>(() => ClusterChainFiles.Load(dir.File("short")))!.Message, Does.Contain("C1.npz"));
        // A level that does not chain onto the one above.
        NpzFormat.Write(dir.File("short/C1.npz"), ClusterChain.LevelFromParents([0, 1, 2], 3));
        Assert.That(Assert.Throws<XmrDataException>(() => ClusterChainFiles.Load(dir.File("short")))!.Message, Does.Contain("not a label tree"));
        // A label in two clusters.
        NpzFormat.Write(dir.File("two.npz"), new CsrMatrix(2, 2, [0, 2, 3], [0, 1, 1], [1f, 1f, 1f]));
        Assert.That(Assert.Throws<XmrDataException>(() => ClusterChainFiles.Load(dir.File("two.npz")))!.Message, Does.Contain("two.npz").And.Contain("row 0"));
        Assert.Throws<FileNotFoundException>(() => ClusterChainFiles.Load(dir.File("absent.npz")));
    }
}
