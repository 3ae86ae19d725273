namespace XmrEngine.IO;

/// <summary>
/// Writes a file so that readers never see a half-written result: the content goes to a hidden temporary
/// file in the same directory (<c>.&lt;name&gt;.&lt;guid&gt;.tmp</c>, same file system, so the rename is
/// atomic) which is flushed to disk (fsync; FlushFileBuffers on Windows), then replaces the target, and then the
/// directory is synced so the rename itself survives a power loss (<see cref="DirectorySync"/> says what each OS
/// does). On failure the temporary file is removed
/// and the target is left untouched; errors name the target, not the temporary. A save that is killed
/// cannot remove its temporary, so every successful save of the same target removes the abandoned ones
/// (see <see cref="StaleTemporaries"/> for how a temporary still being written is told apart).
/// </summary>
public static class AtomicFile
{
    private const int BufferSize = 1 << 16;

    /// <param name="path">The file to create or replace; named in errors as given.</param>
    /// <param name="write">Writes the content; the stream is flushed to disk afterwards.</param>
    public static void Write(string path, Action<FileStream> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        string full = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(full) ?? ".";
        string name = Path.GetFileName(full);
        string temp = Path.Combine(directory, StaleTemporaries.NewName(name));
        try
        {
            // FileShare.None is also the lock that tells a later save's cleanup that this file is in use.
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, BufferSize))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            if (SavePathErrors.Mentions(e, temp)) throw SavePathErrors.Renamed(e, temp, path);
            throw;
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
        DirectorySync.Flush(directory);
        StaleTemporaries.RemoveFiles(directory, name);
    }

    private static void TryDelete(string temp)
    {
        try
        {
            File.Delete(temp);
        }
        catch (IOException)
        {
            // The original failure matters more than a leftover temporary file.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
