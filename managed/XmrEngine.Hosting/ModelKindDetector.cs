
using XmrEngine.IO;

namespace XmrEngine.Hosting;

/// <summary>Tells what kind of model a file or folder holds, from the files every saver writes.</summary>
public static class ModelKindDetector
{
    /// <summary>The marker file of an auto-complete directory.</summary>
    internal const string QacMarker = "qac.json";

    /// <summary>The marker file of a product-retrieval directory.</summary>
    internal const string ProductManifest = "manifest.json";

    /// <summary>
    /// The kind of the model at <paramref name="path"/>, or null when it holds none: a file is an XR-Linear
    /// model file; a folder is an auto-complete model (<c>qac.json</c>), a product-retrieval model
    /// (<c>manifest.json</c>) or a PECOS XLinearModel directory (<c>param.json</c>, at the top or in <c>ranker/</c>).
    /// Saved folders are looked at through their current version.
    /// </summary>
    public static ModelKind? Detect(string path)
    {
        if (File.Exists(path)) return ModelKind.XLinear;
        if (!Directory.Exists(path)) return null;
        if (HoldsMarker(path, QacMarker)) return ModelKind.AutoComplete;
        if (HoldsMarker(path, ProductManifest)) return ModelKind.ProductRetrieval;
        if (File.Exists(Path.Combine(path, "param.json")) || File.Exists(Path.Combine(path, "ranker", "param.json")))
            return ModelKind.XLinear;
        return null;
    }

    /// <summary>The marker file a saved folder of <paramref name="kind"/> holds, or null for XR-Linear (no versioned folder).</summary>
    internal static string? MarkerOf(ModelKind kind) => kind switch
    {
        ModelKind.AutoComplete => QacMarker,
        ModelKind.ProductRetrieval => ProductManifest,
        _ => null,
    };

    private static bool HoldsMarker(string directory, string marker)
    {
        try
        {
            return File.Exists(Path.Combine(VersionedDirectory.Resolve(directory, marker), marker));
        }
        catch (Exception e) when (e is IOException or XmrDataException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
