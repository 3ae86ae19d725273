namespace XmrEngine.Hosting;

/// <summary>What <c>GET /v1/models</c> reports of one model.</summary>
/// <param name="Name">The model's name.</param>
/// <param name="Kind">What it answers (the kind's name); null while no version of it has loaded and the kind is not known.</param>
/// <param name="Path">Its file or folder.</param>
/// <param name="Loaded">True when a version is serving.</param>
/// <param name="Version">The serving version (see <see cref="ServedModel.Version"/>), or null.</param>
/// <param name="LoadedAt">When the serving version was loaded, or null.</param>
/// <param name="LabelCount">Labels of the serving version (0 when none).</param>
/// <param name="Reloads">Versions swapped in since the first.</param>
/// <param name="LastError">Why the last load failed, or null when it succeeded; the serving version (if any) is unaffected.</param>
/// <param name="LastErrorAt">When that load failed, or null.</param>
public sealed record ModelStatus(string Name, string? Kind, string Path, bool Loaded, string? Version, DateTimeOffset? LoadedAt,
    int LabelCount, int Reloads, string? LastError, DateTimeOffset? LastErrorAt);

/// <summary>What a reload did.</summary>
public enum ReloadOutcome
{
    /// <summary>A new version was loaded and now serves.</summary>
    Swapped,

    /// <summary>The files hold the version already serving; nothing changed.</summary>
    Unchanged,

    /// <summary>The new files failed to load; the previous version (if any) still serves and the error is recorded.</summary>
    Failed,
}
