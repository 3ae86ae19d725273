using XmrEngine.Inference;
using XmrEngine.IO;
using XmrEngine.Persistence;

namespace XmrEngine.Sharding;

/// <summary>
/// Opens a sharded model directory written by <see cref="ModelSharder"/>: resolves its current version, reads the
/// manifest and opens the meta-model and, for one machine, every shard.
/// </summary>
public static class ShardedModelDirectory
{
    /// <summary>True when <paramref name="path"/> is a directory holding a sharded model (its current version has a manifest).</summary>
    public static bool IsSharded(string path) => VersionedDirectory.Holds(path, ShardManifest.FileName);

    /// <summary>The directory that holds the current version's files (absolute), and its manifest.</summary>
    /// <exception cref="XmrDataException">The manifest is missing or invalid; names it.</exception>
    public static (string Directory, ShardManifest Manifest) ReadManifest(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string directory = Path.GetFullPath(VersionedDirectory.Resolve(path, ShardManifest.FileName));
        return (directory, ShardManifestReader.Read(Path.Combine(directory, ShardManifest.FileName)));
    }

    /// <summary>
    /// Opens the meta-model of the sharded model in <paramref name="directory"/> (memory-mapped) after checking it
    /// against the manifest.
    /// </summary>
    /// <exception cref="XmrDataException">The file is missing, corrupt or does not match the manifest; names it.</exception>
    public static XLinearPredictor OpenMeta(string directory, ShardManifest manifest, bool verifyChecksums, out ModelMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        string path = ShardFiles.Verify(directory, manifest.Meta, verifyChecksums);
        var meta = XLinearModelFile.OpenMapped(path, null, verifyChecksums: false, out metadata);
        int roots = manifest.LevelNodes[manifest.SplitLevel - 1];
        if (meta.TreeCount != 1 || meta.Depth != manifest.SplitLevel || meta.LabelCount != roots || meta.FeatureCount != manifest.FeatureCount || meta.Bias != manifest.Bias)
        {
            meta.Dispose();
            throw new XmrDataException(path, null, null, null,
                $"does not match the manifest: expected one tree of depth {manifest.SplitLevel} with {roots} leaves over {manifest.FeatureCount} features");
        }
        return meta;
    }

    /// <summary>
    /// Opens the whole sharded model at <paramref name="path"/> in this process: the meta-model and every shard
    /// memory-mapped, behind a <see cref="ShardedPredictor"/> that answers as the unsharded model does.
    /// </summary>
    /// <param name="path">The directory <c>xmr shard</c> wrote.</param>
    /// <param name="verifyChecksums">Check every file's SHA-256 against the manifest (reads each once).</param>
    /// <param name="metadata">The metadata saved with the original model (prediction defaults, the input rule).</param>
    /// <exception cref="XmrDataException">The manifest or a file is missing, corrupt or inconsistent; names it.</exception>
    public static ShardedPredictor Open(string path, bool verifyChecksums, out ModelMetadata metadata)
    {
        var (directory, manifest) = ReadManifest(path);
        var meta = OpenMeta(directory, manifest, verifyChecksums, out metadata);
        var shards = new List<ModelShard>();
        try
        {
            for (int s = 0; s < manifest.Shards.Count; s++) shards.Add(ModelShard.Open(directory, manifest, s, verifyChecksums));
            return new ShardedPredictor(manifest, meta, shards, metadata.Prediction);
        }
        catch
        {
            foreach (var shard in shards) shard.Dispose();
            meta.Dispose();
            throw;
        }
    }
}
