namespace XmrEngine.Hosting.Api;

/// <summary>
/// What clients are told of where models live: a path relative to the models folder (or a bare file name for a model
/// added by path), and load errors with the server's folders cut out. The server's layout is nobody else's business,
/// and absolute paths help an attacker more than a user.
/// </summary>
internal static class ClientPaths
{
    public static ModelStatus Redact(ModelStatus status, XmrEngineOptions options)
    {
        string full = Path.GetFullPath(status.Path);
        string? folder = options.ModelsDirectory is null ? null : Path.GetFullPath(options.ModelsDirectory);
        string shown = folder is not null && IsUnder(full, folder) ? Path.GetRelativePath(folder, full) : Path.GetFileName(full.TrimEnd(Path.DirectorySeparatorChar));
        return status with { Path = shown, LastError = RedactText(status.LastError, full, shown, folder) };
    }

    private static string? RedactText(string? text, string full, string shown, string? folder)
    {
        if (text is null) return null;
        text = text.Replace(full, shown, StringComparison.Ordinal);
        if (folder is not null) text = text.Replace(folder.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, "", StringComparison.Ordinal);
        // A model added by path: its folder too.
        string? parent = Path.GetDirectoryName(full.TrimEnd(Path.DirectorySeparatorChar));
        if (!string.IsNullOrEmpty(parent) && parent != Path.GetPathRoot(parent))
            text = text.Replace(parent + Path.DirectorySeparatorChar, "", StringComparison.Ordinal);
        return text;
    }

    private static bool IsUnder(string path, string folder) =>
        path.StartsWith(folder.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal);
}
