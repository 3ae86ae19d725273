using XmrEngine.Inference;
using XmrEngine.IO;
using XmrEngine.Persistence;
using XmrEngine.Sharding;

namespace XmrEngine.Serving;

/// <summary>
/// The XR-Linear format in its three shapes: an XmrEngine model file (<c>.xmr</c>, memory-mapped by default), a
/// sharded model directory (<c>xmr shard</c>: <c>shards.json</c>), and a PECOS XLinearModel directory
/// (<c>param.json</c> at the top or in <c>ranker/</c>). Opens each as an <see cref="XLinearServingModel"/>.
/// </summary>
public sealed class XLinearModelFormat : IModelFormat
{
    private XLinearModelFormat()
    {
    }

    /// <summary>The one instance.</summary>
    public static XLinearModelFormat Instance { get; } = new();

    /// <inheritdoc />
    public string Kind => XLinearServingModel.KindName;

    /// <inheritdoc />
    public string Description => "an XmrEngine model file, a sharded model directory with shards.json, or a PECOS XLinearModel directory with param.json";

    /// <inheritdoc />
    public bool Recognizes(string path) =>
        File.Exists(path) || ShardedModelDirectory.IsSharded(path) || IsPecosDirectory(path);

    /// <inheritdoc />
    public IServableModel Open(string path, ModelOpenOptions options) => OpenModel(path, options);

    /// <inheritdoc />
    public string? VersionOf(string path) => ModelVersions.TryOf(path, ShardedModelDirectory.IsSharded(path) ? ShardManifest.FileName : null);

    /// <summary>Opens the XR-Linear model at <paramref name="path"/> in whichever of the three shapes it is.</summary>
    /// <exception cref="XmrDataException">The files are malformed, truncated or fail a checksum; names the file.</exception>
    /// <exception cref="IOException">Nothing at the path is an XR-Linear model, or it is unreadable.</exception>
    /// <exception cref="ArgumentException">The options do not fit the model (a backend for a sharded model, or masked
    /// scoring of an ensemble).</exception>
    public XLinearServingModel OpenModel(string path, ModelOpenOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= ModelOpenOptions.Default;
        if (ShardedModelDirectory.IsSharded(path))
        {
            if (options.Backend is not null)
                throw new ArgumentException($"{path}: is a sharded model directory (xmr shard), served by the chunked predictor of each shard; a kernel backend takes a model file.");
            var router = ShardedModelDirectory.Open(path, options.VerifyChecksums, out var metadata);
            return XLinearServingModel.OverShards(router, metadata, ModelVersions.OfFolder(path, ShardManifest.FileName),
                $"sharded: meta-model and {router.ShardCount} shards memory-mapped", null);
        }
        if (Directory.Exists(path))
        {
            if (!IsPecosDirectory(path))
                throw new IOException($"{path}: is a folder but holds no XR-Linear model (shards.json of a sharded model, or PECOS's param.json).");
            string version = ModelVersions.OfFolder(path, null);
            var (weights, saved) = ReadWeights(path);
            return WithBackend(weights, saved, version, options, path);
        }
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such model file or directory.", path);
        string fileVersion = ModelVersions.OfFile(path);
        if (options.Backend is null && options.Mapped)
        {
            var mapped = XLinearModelFile.OpenMapped(path, null, options.VerifyChecksums, out var metadata);
            return new XLinearServingModel(mapped, metadata, fileVersion, mapped.IsMemoryMapped ? "memory-mapped" : "read and compiled");
        }
        var (trees, stored) = ReadWeights(path);
        return WithBackend(trees, stored, fileVersion, options, path);
    }

    /// <summary>
    /// Reads the trees and the saved settings of an XmrEngine model file or a PECOS XLinearModel directory into
    /// managed arrays (CSC weights, for inspection, sharding or scoring on a kernel backend); PECOS's saved settings
    /// become the metadata's prediction defaults.
    /// </summary>
    /// <exception cref="XmrDataException">The files are malformed, truncated or fail a checksum; names the file.</exception>
    public static (Models.XLinearEnsemble Trees, ModelMetadata Saved) ReadWeights(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Directory.Exists(path))
        {
            var pecos = PecosModelDirectory.Load(path, NpzFormat.ReadCsc);
            return (new Models.XLinearEnsemble(pecos.Model), ModelMetadata.Default with { Prediction = pecos.Options });
        }
        var ensemble = XLinearModelFile.LoadEnsemble(path, out ModelMetadata stored);
        return (ensemble, stored);
    }

    private static XLinearServingModel WithBackend(Models.XLinearEnsemble model, ModelMetadata saved, string version, ModelOpenOptions options, string path)
    {
        if (options.Backend is not { } kernels)
            return new XLinearServingModel(new XLinearPredictor(model, saved.Prediction), saved, version, "read and compiled");
        if (!options.MaskedScoring)
            return new XLinearServingModel(new XLinearPredictor(model, saved.Prediction, WeightLayout.Chunked, kernels), saved, version, "read and compiled");
        if (model.Trees.Count > 1)
            throw new ArgumentException($"{path} is an ensemble of {model.Trees.Count} trees; masked-product scoring takes one tree.");
        return new XLinearServingModel(new MaskedBatchPredictor(model.Trees[0], kernels, saved.Prediction), saved, version, "read");
    }

    /// <summary>True for a folder holding PECOS's <c>param.json</c> at the top or in <c>ranker/</c>.</summary>
    private static bool IsPecosDirectory(string path) =>
        Directory.Exists(path) && (File.Exists(Path.Combine(path, "param.json")) || File.Exists(Path.Combine(path, "ranker", "param.json")));
}
