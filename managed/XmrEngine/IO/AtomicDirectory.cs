namespace XmrEngine.IO;

/// <summary>
/// Writes a multi-file model directory so that readers see either the old directory or the complete
/// new one: the files go to a hidden sibling directory, which then replaces the target (the old one is
/// moved aside first and put back if the swap fails). On failure the temporary directory is removed.
/// </summary>
internal static class AtomicDirectory
{
    /// <param name="path">The directory to create or replace; its parent must exist.</param>
    /// <param name="write">Writes every file into the temporary directory it is given.</param>
    public static void Write(string path, Action<string> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        string full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        string parent = Path.GetDirectoryName(full) ?? throw new IOException($"{path}: has no parent directory.");
        if (!Directory.Exists(parent)) throw new DirectoryNotFoundException($"{path}: parent directory {parent} does not exist.");
        string name = Path.GetFileName(full);
        string temp = Path.Combine(parent, $".{name}.{Guid.NewGuid():N}.tmp");
        Directory.CreateDirectory(temp);
        try
        {
            write(temp);
            SwapInto(temp, full, Path.Combine(parent, $".{name}.{Guid.NewGuid():N}.old"));
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    private static void SwapInto(string temp, string full, string old)
    {
        if (!Directory.Exists(full))
        {
            Directory.Move(temp, full);
            return;
        }
        Directory.Move(full, old);
        try
        {
            Directory.Move(temp, full);
        }
        catch
        {
            Directory.Move(old, full);
            throw;
        }
        TryDelete(old);
    }

    private static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover hidden directory is harmless; the original outcome matters more.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
