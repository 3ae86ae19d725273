using XmrEngine.Serving;

namespace XmrEngine.Apps.AutoComplete;

/// <summary>The auto-complete format (<see cref="QacModel.Format"/>): a folder saved by <see cref="QacModel.Save"/>.</summary>
internal sealed class QacModelFormat : IModelFormat
{
    public static QacModelFormat Instance { get; } = new();

    public string Kind => QacModel.KindName;

    public string Description => "an auto-complete folder with qac.json";

    public bool Recognizes(string path) => QacModelFile.IsModelDirectory(path);

    public IServableModel Open(string path, ModelOpenOptions options) => QacModelFile.Load(path);

    public string? VersionOf(string path) => Directory.Exists(path) ? ModelVersions.TryOf(path, QacModelFile.SettingsFile) : null;
}
