using System.Text.Json;
using XmrEngine.Inference;
using XmrEngine.Models;
using XmrEngine.Text;
using XmrEngine.Persistence;

namespace XmrEngine.Apps.ProductRetrieval;

/// <summary>
/// A saved <see cref="ProductRetrievalModel"/>: a directory holding <c>vectorizer.tfidf</c>
/// (<see cref="CombinedTfidfVectorizer"/>), <c>xlinear.model</c> (<see cref="XLinearModelFile"/>),
/// <c>items.bin</c> (the item texts) and <c>manifest.json</c> (format, sizes, how it was trained, prediction
/// defaults). The files live in a version sub-directory named by the pointer file <c>CURRENT</c>
/// (<see cref="IO.VersionedDirectory"/>): a save writes a complete new version and then replaces the pointer
/// atomically, so a reader never sees a half-written or mixed model and a killed save leaves the old or the
/// new model loadable. Loading also recovers from interrupted saves and reads models saved with the files
/// directly in the directory. A target that exists but is not a model directory is never touched.
/// </summary>
internal static class ProductModelDirectory
{
    public const string ManifestFile = "manifest.json";
    public const string VectorizerFile = "vectorizer.tfidf";
    public const string ModelFile = "xlinear.model";
    public const string ItemsFile = "items.bin";
    private const string FormatName = "xmr-product-retrieval";
    private const int FormatVersion = 1;

    public static void Save(string directory, ProductRetrievalModel model)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentNullException.ThrowIfNull(model);
        string full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
        if (File.Exists(full)) throw new IOException($"{directory}: is a file; a product retrieval model is saved as a directory.");
        // Refuses a directory that holds anything but a product retrieval model (no manifest.json).
        IO.VersionedDirectory.Write(directory, ManifestFile, temp =>
        {
            model.Vectorizer.Save(Path.Combine(temp, VectorizerFile));
            // The app loads by reading (it needs the CSC weights and the tree), so the compiled levels would only
            // make the file larger and the save slower.
            XLinearModelFile.Save(Path.Combine(temp, ModelFile), model.Model, compiledLayout: false);
            IO.AtomicFile.Write(Path.Combine(temp, ItemsFile), s => ItemTextFile.Write(s, model.Items));
            // The manifest goes last, so even a version directory copied by hand mid-save is recognisably incomplete.
            IO.AtomicFile.Write(Path.Combine(temp, ManifestFile), s => WriteManifest(s, model));
        });
    }

    public static ProductRetrievalModel Load(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (File.Exists(directory))
            throw new IO.XmrDataException(directory, null, null, null, "is a file; a product retrieval model is a directory (saved by `xmr text2text train`).");
        return IO.VersionedDirectory.Load(directory, ManifestFile, resolved =>
        {
            var model = LoadFrom(resolved);
            model.Version = Serving.ModelVersions.OfLoadedFolder(directory, resolved);
            return model;
        });
    }

    /// <summary>True for a folder whose current version holds a manifest; never throws.</summary>
    public static bool IsModelDirectory(string path) => IO.VersionedDirectory.Holds(path, ManifestFile);

    /// <summary>Loads the files of one model version (or of a model in the flat layout) from <paramref name="directory"/>.</summary>
    private static ProductRetrievalModel LoadFrom(string directory)
    {
        var manifest = ReadManifest(Path.Combine(directory, ManifestFile));
        var vectorizer = CombinedTfidfVectorizer.Load(Require(directory, VectorizerFile));
        var model = XLinearModelFile.Load(Require(directory, ModelFile));
        var items = ItemTextFile.Read(Require(directory, ItemsFile));
        if (items.Length != manifest.ItemCount || model.LabelCount != manifest.ItemCount)
            throw new IO.XmrDataException(directory, null, null, "item count", $"inconsistent model: the manifest says {manifest.ItemCount} items, " +
                                           $"{ItemsFile} has {items.Length} and {ModelFile} has {model.LabelCount} labels.");
        if (vectorizer.FeatureCount != manifest.FeatureCount || model.FeatureCount != manifest.FeatureCount)
            throw new IO.XmrDataException(directory, null, null, "feature count", $"inconsistent model: the manifest says {manifest.FeatureCount} features, " +
                                           $"{VectorizerFile} has {vectorizer.FeatureCount} and {ModelFile} expects {model.FeatureCount}.");
        return new ProductRetrievalModel(vectorizer, model, items, manifest.Info);
    }

    private static string Require(string directory, string file)
    {
        string path = Path.Combine(directory, file);
        if (!File.Exists(path)) throw new IO.XmrDataException(directory, null, null, null, $"{file} is missing; the model directory is incomplete.");
        return path;
    }

    private static void WriteManifest(Stream stream, ProductRetrievalModel model)
    {
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        var info = model.Info;
        w.WriteStartObject();
        w.WriteString("format", FormatName);
        w.WriteNumber("version", FormatVersion);
        w.WriteNumber("item_count", model.ItemCount);
        w.WriteNumber("feature_count", model.Vectorizer.FeatureCount);
        w.WriteString("item_embedding", info.ItemEmbedding.ToName());
        w.WriteBoolean("item_texts_as_queries", info.ItemTextsAsQueries);
        w.WriteNumber("training_queries", info.TrainingQueries);
        ModelMetadata.WritePrediction(w, info.Prediction);
        w.WriteNumber("text_weight", info.TextWeight);
        w.WriteNumber("title_candidates", info.TitleCandidates);
        w.WriteBoolean("title_idf_once", info.TitleIdfOnce);
        if (info.TextWeightChoice is { } choice) w.WriteString("text_weight_choice", choice);
        w.WriteEndObject();
    }

    private sealed record Manifest(int ItemCount, int FeatureCount, ProductModelInfo Info);

    private static Manifest ReadManifest(string path)
    {
        if (!File.Exists(path))
            throw new IO.XmrDataException(path, null, null, null, "is missing; this is not a product retrieval model directory (or it is incomplete).");
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = doc.RootElement;
            string format = root.GetProperty("format").GetString() ?? "";
            if (format != FormatName) throw new IO.XmrDataException(path, null, null, "format", $"is \"{format}\", expected \"{FormatName}\".");
            int version = root.GetProperty("version").GetInt32();
            if (version != FormatVersion) throw new IO.XmrDataException(path, null, null, "version", $"{version} is not supported (expected {FormatVersion}).");
            foreach (var key in new[] { "beam_size", "top_k", "post_processor" })
                if (!root.TryGetProperty(key, out _)) throw new KeyNotFoundException($"'{key}' is missing");
            var prediction = ModelMetadata.ReadPrediction(root, PredictOptions.Default, path);
            var info = new ProductModelInfo(
                ItemEmbeddingNames.Parse(root.GetProperty("item_embedding").GetString() ?? ""),
                root.GetProperty("item_texts_as_queries").GetBoolean(),
                root.GetProperty("training_queries").GetInt32(),
                prediction,
                root.GetProperty("text_weight").GetSingle(),
                // Models saved before the title index existed have no such key: they used none.
                root.TryGetProperty("title_candidates", out var titles) ? titles.GetInt32() : 0,
                root.TryGetProperty("title_idf_once", out var idfOnce) && idfOnce.GetBoolean())
            {
                TextWeightChoice = root.TryGetProperty("text_weight_choice", out var choice) ? choice.GetString() : null,
            };
            if (!(info.TextWeight >= 0 && info.TextWeight <= 1))
                throw new IO.XmrDataException(path, null, null, "text_weight", $"{info.TextWeight} is outside [0, 1].");
            if (info.TitleCandidates < 0)
                throw new IO.XmrDataException(path, null, null, "title_candidates", $"{info.TitleCandidates} is negative.");
            return new Manifest(root.GetProperty("item_count").GetInt32(), root.GetProperty("feature_count").GetInt32(), info);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException
                                       or ArgumentException)
        {
            throw new IO.XmrDataException(path, null, null, null, $"invalid manifest: {ex.Message}", ex);
        }
    }
}
