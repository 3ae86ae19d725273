namespace XmrEngine.Text;

/// <summary>Writes a file so readers see either the old content or the complete new one, never a torn write.</summary>
internal static class AtomicFile
{
    /// <summary>Writes to a temporary file in the target's directory, flushes it to disk, then renames it over the target.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(path);
        string full = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(full) ?? throw new ArgumentException($"{path}: has no directory.", nameof(path));
        if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"{path}: directory {dir} does not exist.");
        string temp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var fs = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(fs);
                fs.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            try
            {
                File.Delete(temp);
            }
            catch (IOException)
            {
                // The original error matters more than a leftover temporary file.
            }
            throw;
        }
    }
}
