using XmrEngine.Apps.AutoComplete;
using XmrEngine.Apps.ProductRetrieval;
using XmrEngine.Inference;
using XmrEngine.IO;
using XmrEngine.Persistence;

namespace XmrEngine.Hosting;

/// <summary>Loads one version of a model, fully verified, before anything may serve it.</summary>
internal static class ModelLoader
{
    private const int Attempts = 3;

    /// <summary>
    /// Loads the model at <paramref name="location"/>. XR-Linear files are memory-mapped (checksums verified
    /// unless <paramref name="verifyChecksums"/> is off); folders are read. When the files change while loading
    /// (their fingerprint — sizes and times, no content read — differs before and after) the load is repeated, so the
    /// version named is the one loaded. The version itself (a content hash for PECOS folders) is computed once.
    /// </summary>
    /// <exception cref="XmrDataException">The files are malformed, truncated or fail a checksum.</exception>
    /// <exception cref="IOException">The files are missing or unreadable.</exception>
    public static ServedModel Load(ModelLocation location, bool verifyChecksums)
    {
        for (int attempt = 1; ; attempt++)
        {
            var kind = location.Kind ?? ModelKindDetector.Detect(location.Path)
                ?? throw new IOException($"{location.Path}: holds no model (an .xmr file, or a folder with qac.json, manifest.json or PECOS's param.json).");
            string before = ModelVersion.Fingerprint(location.Path);
            var model = LoadKind(location, kind, ModelVersion.Of(location.Path, kind), verifyChecksums);
            if (ModelVersion.Fingerprint(location.Path) == before || attempt == Attempts) return model;
            model.Release(); // replaced while we read it: load the newer files
        }
    }

    /// <summary>
    /// Loads the model at <paramref name="location"/>: through <paramref name="source"/> when one claims its file
    /// (the file points at a model served elsewhere), else from the files themselves (<see cref="Load"/>). Either
    /// way on the thread pool, since opening reads and verifies files synchronously.
    /// </summary>
    /// <exception cref="XmrDataException">The files are malformed, truncated or fail a checksum.</exception>
    /// <exception cref="IOException">The files are missing or unreadable.</exception>
    public static async Task<ServedModel> LoadAsync(ModelLocation location, bool verifyChecksums, IModelSource? source, CancellationToken cancel)
    {
        if (source is null) return await Task.Run(() => Load(location, verifyChecksums), cancel).ConfigureAwait(false);
        var remote = await Task.Run(() => source.OpenAsync(location.Path, cancel), cancel).ConfigureAwait(false);
        var router = remote.Predictor;
        return new ServedModel(location.Name, ModelKind.XLinear, remote.Version, router.LabelCount, router.FeatureCount,
            null, router, null, null, remote);
    }

    private static ServedModel LoadKind(ModelLocation location, ModelKind kind, string version, bool verifyChecksums)
    {
        string path = location.Path;
        switch (kind)
        {
            case ModelKind.XLinear:
            {
                XLinearPredictor predictor;
                if (Directory.Exists(path))
                {
                    var pecos = PecosModelDirectory.Load(path, NpzFormat.ReadCsc);
                    predictor = new XLinearPredictor(pecos.Model, pecos.Options);
                }
                else
                {
                    predictor = XLinearModelFile.OpenMapped(path, null, verifyChecksums, out _);
                }
                return new ServedModel(location.Name, kind, version, predictor.LabelCount, predictor.FeatureCount,
                    predictor, null, null, null, predictor);
            }
            case ModelKind.ProductRetrieval:
            {
                var model = ProductRetrievalModel.Load(path);
                return new ServedModel(location.Name, kind, version, model.ItemCount, model.Vectorizer.FeatureCount,
                    null, null, model, null, null);
            }
            case ModelKind.AutoComplete:
            {
                var model = QacModel.Load(path);
                return new ServedModel(location.Name, kind, version, model.Labels.Count, model.Predictor.FeatureCount,
                    null, null, null, model, null);
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown model kind.");
        }
    }
}
