using XmrEngine.Serving;

namespace XmrEngine.Apps.ProductRetrieval;

/// <summary>The product-retrieval format (<see cref="ProductRetrievalModel.Format"/>): a folder saved by <see cref="ProductRetrievalModel.Save"/>.</summary>
internal sealed class ProductModelFormat : IModelFormat
{
    public static ProductModelFormat Instance { get; } = new();

    public string Kind => ProductRetrievalModel.KindName;

    public string Description => $"a product-retrieval folder with {ProductModelDirectory.ManifestFile}";

    public bool Recognizes(string path) => ProductModelDirectory.IsModelDirectory(path);

    public IServableModel Open(string path, ModelOpenOptions options) => ProductModelDirectory.Load(path);

    public string? VersionOf(string path) => Directory.Exists(path) ? ModelVersions.TryOf(path, ProductModelDirectory.ManifestFile) : null;
}
