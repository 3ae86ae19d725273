using XmrEngine.Apps.AutoComplete;
using XmrEngine.Apps.ProductRetrieval;
using XmrEngine.Indexing;
using XmrEngine.IO;
using XmrEngine.Models;
using XmrEngine.Persistence;
using XmrEngine.Sparse;
using XmrEngine.Tests.Apps.AutoComplete;
using XmrEngine.Tests.Apps.ProductRetrieval;
using XmrEngine.Tests.Support;
using XmrEngine.Training;

namespace XmrEngine.Hosting.Tests;

/// <summary>
/// Small models of the three kinds, trained once per test run from seeded generated data, and copied into
/// a fresh models folder per test: <c>xr.xmr</c> (XR-Linear), <c>qac/</c> (auto-complete), <c>shop/</c>
/// (product retrieval). <see cref="XLinearVersions"/> holds two more XR-Linear files to swap in.
/// </summary>
internal static class ModelFolder
{
    public const int Features = 300;
    private static readonly Lazy<Built> Cache = new(Build, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Two further, different XR-Linear model files (same shape), for swap tests.</summary>
    public static IReadOnlyList<string> XLinearVersions => Cache.Value.Alternatives;

    /// <summary>A second auto-complete model trained on other data (saved as a directory).</summary>
    public static QacModel OtherQac => Cache.Value.OtherQac;

    /// <summary>Copies the three models into <paramref name="folder"/>.</summary>
    public static void CopyTo(string folder)
    {
        var built = Cache.Value;
        File.Copy(built.XLinear, Path.Combine(folder, "xr.xmr"));
        built.Qac.Save(Path.Combine(folder, "qac"));
        built.Shop.Save(Path.Combine(folder, "shop"));
    }

    /// <summary>The catalogue the product model was trained on.</summary>
    public static SyntheticCatalog Catalog => Cache.Value.Catalog;

    private sealed record Built(string XLinear, string[] Alternatives, QacModel Qac, QacModel OtherQac, ProductRetrievalModel Shop, SyntheticCatalog Catalog);

    private static Built Build()
    {
        string dir = Directory.CreateTempSubdirectory("xmr-hosting-models-").FullName;
        var files = new string[3];
        for (int v = 0; v < 3; v++)
        {
            var x = RandomSparse.Csr(400, Features, 0.05, seed: 10 + v, allowEmptyRows: false).NormalizeRows();
            var y = RandomSparse.Csr(400, 60, 0.04, seed: 20 + v, allowEmptyRows: false);
            var model = XLinearTrainer.Train(x, y, new XLinearTrainOptions { Indexer = new HierarchicalKMeansOptions { NrSplits = 4, MaxLeafSize = 8 } });
            files[v] = Path.Combine(dir, $"xr{v}.xmr");
            XLinearModelFile.Save(files[v], model);
        }
        var qac = TrainQac(dir, seed: 1);
        var other = TrainQac(dir, seed: 2);
        var catalog = new SyntheticCatalog();
        var shop = ProductRetrievalModel.Train(catalog.Queries, catalog.Items);
        return new Built(files[0], files[1..], qac, other, shop, catalog);
    }

    private static QacModel TrainQac(string dir, int seed)
    {
        string log = Path.Combine(dir, $"log{seed}.tsv");
        SyntheticQueryLog.WriteTsv(log, sessions: 600, seed: seed);
        var split = QacSplit.Load(log, new QacDataOptions());
        return QacModel.Train(split.TrainPairs, new QacTrainOptions
        {
            Indexer = QacIndexerKind.Hybrid,
            TrieDepth = 1,
            Threads = 1,
            XLinear = new XLinearTrainOptions { Indexer = new HierarchicalKMeansOptions { MaxLeafSize = 4, NrSplits = 4 } },
        });
    }

    /// <summary>Replaces <paramref name="target"/> by <paramref name="source"/>'s bytes through a temporary and a rename, as savers do.</summary>
    public static void ReplaceByRename(string source, string target)
    {
        string temp = Path.Combine(Path.GetDirectoryName(target)!, "." + Path.GetFileName(target) + "." + Guid.NewGuid().ToString("N") + ".tmp");
        File.Copy(source, temp);
        File.Move(temp, target, overwrite: true);
    }

    /// <summary>Writes a truncated copy of <paramref name="source"/> over <paramref name="target"/> by rename.</summary>
    public static void ReplaceByTruncatedCopy(string source, string target)
    {
        byte[] bytes = File.ReadAllBytes(source);
        string temp = Path.Combine(Path.GetDirectoryName(target)!, "." + Path.GetFileName(target) + ".bad.tmp");
        File.WriteAllBytes(temp, bytes[..(bytes.Length / 2)]);
        File.Move(temp, target, overwrite: true);
    }

    /// <summary>
    /// Makes a saved auto-complete folder's current version a broken one, as a save that wrote bad files would: a new
    /// version folder with a truncated model file, named by the CURRENT pointer (written by temporary and rename).
    /// Returns the broken version's name.
    /// </summary>
    public static string PublishBrokenVersion(string modelDir, string marker)
    {
        string current = VersionedDirectory.Resolve(modelDir, marker);
        string name = "v-99999999-20990101T000000Z";
        string staging = Path.Combine(modelDir, ".v-broken.tmp");
        Directory.CreateDirectory(staging);
        foreach (string file in Directory.GetFiles(current))
        {
            string copy = Path.Combine(staging, Path.GetFileName(file));
            File.Copy(file, copy);
            if (file.EndsWith(".model", StringComparison.Ordinal) || file.EndsWith(".xmr", StringComparison.Ordinal))
            {
                byte[] b = File.ReadAllBytes(copy);
                File.WriteAllBytes(copy, b[..(b.Length / 3)]);
            }
        }
        Directory.Move(staging, Path.Combine(modelDir, name));
        string pointerTemp = Path.Combine(modelDir, ".CURRENT.tmp");
        File.WriteAllText(pointerTemp, name + "\n");
        File.Move(pointerTemp, Path.Combine(modelDir, "CURRENT"), overwrite: true);
        return name;
    }
}
