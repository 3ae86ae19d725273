using System.Text;
using System.Text.RegularExpressions;
using XmrEngine.Inference;
using XmrEngine.IO;
using XmrEngine.Persistence;
using XmrEngine.Sharding;
using XmrEngine.Tests.Inference;
using XmrEngine.Tests.Support;

namespace XmrEngine.Tests.Sharding;

/// <summary>A damaged or inconsistent sharded model is refused with an <see cref="XmrDataException"/> naming the file.</summary>
[TestFixture]
public sealed class ShardedModelFileTests
{
    private TempDir _temp = null!;
    private string _dir = null!;
    private string _version = null!;

    [SetUp]
    public void SetUp()
    {
        _temp = new TempDir();
        var model = RandomModels.Model(3, featureCount: 20, density: 0.4, seed: 31);
        _dir = _temp.File("sharded");
        ModelSharder.Write(model, ModelMetadata.Default with { Prediction = new PredictOptions { BeamSize = 4 } }, 1, 2, _dir);
        _version = ShardedModelDirectory.ReadManifest(_dir).Directory;
    }

    [TearDown]
    public void TearDown() => _temp.Dispose();

    private string ShardPath => Path.Combine(_version, ModelSharder.ShardFileName(1));

    private XmrDataException OpenFails() =>
        Assert.Throws<XmrDataException>(() => ShardedModelDirectory.Open(_dir, verifyChecksums: true, out _).Dispose())!;

    [Test]
    public void Opens_WithTheSavedDefaults_AndIsDetected()
    {
        using var p = ShardedModelDirectory.Open(_dir, true, out var metadata);
        Assert.That(p.Defaults.BeamSize, Is.EqualTo(4));
        Assert.That(metadata.Prediction.BeamSize, Is.EqualTo(4));
        Assert.That(ShardedModelDirectory.IsSharded(_dir), Is.True);
        Assert.That(ShardedModelDirectory.IsSharded(_temp.Path), Is.False);
        Assert.That(ShardedModelDirectory.IsSharded(_temp.File("nothing")), Is.False);
    }

    [Test]
    public void FlippedByte_InAShard_NamesTheShardFile()
    {
        var bytes = File.ReadAllBytes(ShardPath);
        bytes[bytes.Length / 2] ^= 0x40;
        File.WriteAllBytes(ShardPath, bytes);
        var e = OpenFails();
        Assert.That(e.FilePath, Is.EqualTo(ShardPath));
        Assert.That(e.Message, Does.Contain("sha256").And.Contain("corrupt"));
    }

    [Test]
    public void TruncatedShard_NamesTheShardFile()
    {
        var bytes = File.ReadAllBytes(ShardPath);
        File.WriteAllBytes(ShardPath, bytes[..(bytes.Length - 100)]);
        var e = OpenFails();
        Assert.That(e.FilePath, Is.EqualTo(ShardPath));
        Assert.That(e.Message, Does.Contain("truncated"));
    }

    [Test]
    public void MissingShard_NamesTheShardFile()
    {
        File.Delete(ShardPath);
        var e = OpenFails();
        Assert.That(e.FilePath, Is.EqualTo(ShardPath));
        Assert.That(e.Message, Does.Contain("missing"));
    }

    [Test]
    public void MissingMetaModel_NamesIt()
    {
        string meta = Path.Combine(_version, ModelSharder.MetaFileName);
        File.Delete(meta);
        Assert.That(OpenFails().FilePath, Is.EqualTo(meta));
    }

    /// <summary>Intact files in the wrong places (the manifest's hashes swapped with them) are still refused: by the recorded
    /// length, or by the shard's shape disagreeing with the nodes the manifest gives it.</summary>
    [Test]
    public void SwappedShardFiles_WithSwappedHashes_AreRefused_NamingAFile()
    {
        // Swap the two shards' files and their manifest records' hashes: every file is intact but shard 0 now holds shard 1's tree.
        string manifestPath = Path.Combine(_version, ShardManifest.FileName);
        string a = Path.Combine(_version, ModelSharder.ShardFileName(0)), b = ShardPath;
        var manifest = ShardManifestReader.Read(manifestPath);
        if (manifest.Shards[0].SubtreeRoots.Count == manifest.Shards[1].SubtreeRoots.Count) Assert.Ignore("the two shards have the same shape");
        File.Move(a, a + ".x");
        File.Move(b, a);
        File.Move(a + ".x", b);
        string json = File.ReadAllText(manifestPath);
        string h0 = manifest.Shards[0].File.Sha256, h1 = manifest.Shards[1].File.Sha256;
        json = json.Replace(h0, "H0").Replace(h1, h0).Replace("H0", h1);
        File.WriteAllText(manifestPath, json);
        var e = OpenFails();
        Assert.That(e.FilePath, Is.EqualTo(a).Or.EqualTo(b));
    }

    [TestCase("\"label_count\": ", "\"label_count\": 1", "label_count")]
    [TestCase("\"format\": \"xmr-sharded-xlinear\"", "\"format\": \"other\"", "format")]
    [TestCase("\"version\": 1", "\"version\": 7", "version")]
    [TestCase("\"split_level\": 1", "\"split_level\": 3", "split_level")]
    [TestCase("\"file\": \"meta.xmr\"", "\"file\": \"../meta.xmr\"", "meta.file")]
    public void ManifestMismatch_NamesTheManifestAndField(string find, string replace, string field)
    {
        string manifestPath = Path.Combine(_version, ShardManifest.FileName);
        string json = File.ReadAllText(manifestPath);
        Assert.That(json, Does.Contain(find));
        if (find == "\"label_count\": ") json = Regex.Replace(json, "\"label_count\": \\d+", replace);
        else json = json.Replace(find, replace);
        File.WriteAllText(manifestPath, json);
        var e = OpenFails();
        Assert.That(e.FilePath, Is.EqualTo(manifestPath));
        Assert.That(e.Field, Is.EqualTo(field));
    }

    [Test]
    public void OverlappingShards_InTheManifest_AreRefused()
    {
        string manifestPath = Path.Combine(_version, ShardManifest.FileName);
        var manifest = ShardManifestReader.Read(manifestPath);
        // Give shard 1 the subtree roots of shard 0 as well: a node held twice.
        var doubled = new ShardManifest(manifest.FeatureCount, manifest.LabelCount, manifest.Bias, manifest.LevelNodes, manifest.SplitLevel, manifest.Meta,
            [manifest.Shards[0], new ShardEntry(manifest.Shards[1].File, manifest.Shards[1].WeightCount, [manifest.Shards[0].Levels[0], .. manifest.Shards[1].Levels.Skip(1)])]);
        File.WriteAllBytes(manifestPath, doubled.ToJson());
        var e = OpenFails();
        Assert.That(e.FilePath, Is.EqualTo(manifestPath));
        Assert.That(e.Message, Does.Contain("shard"));
    }

    [Test]
    public void NotJson_AndMissingManifest_AreNamed()
    {
        string manifestPath = Path.Combine(_version, ShardManifest.FileName);
        File.WriteAllText(manifestPath, "{ not json", Encoding.UTF8);
        Assert.That(OpenFails().Message, Does.Contain("not valid JSON").And.Contain(manifestPath));
        Assert.Throws<XmrDataException>(() => ShardManifestReader.Read(_temp.File("absent.json")));
    }
}
