using System.Text;
using static XmrEngine.IO.VersionedDirectoryLayout;

namespace XmrEngine.IO;

/// <summary>
/// A multi-file model saved so that a reader always finds a complete model, whenever the saving process
/// dies. The model path stays a real directory; each save writes a complete new version into a hidden
/// sub-directory, flushes its files to disk, renames it to <c>v-&lt;sequence&gt;-&lt;UTC time&gt;</c> (so a
/// directory with a version name is complete by construction) and then atomically replaces the pointer file
/// <c>CURRENT</c> (via <see cref="AtomicFile"/>: temporary, fsync, rename) with that name. Only after the
/// pointer names the new version are older versions, abandoned temporaries and files of the older flat
/// layout removed, best effort: a reader that still has an old version open keeps reading it (on Linux
/// deleting open or memory-mapped files is harmless; where it is not, the deletion fails and the next save
/// retries it).
/// </summary>
/// <remarks>
/// <para><see cref="Resolve"/> is the one place that turns a model path into the directory holding the
/// files: the version <c>CURRENT</c> names; if the pointer is missing or names a missing version (a save
/// died between its steps, or someone removed files), the newest version holding the model's marker file;
/// failing that the directory itself, which is how models saved in the flat layout (files directly in the
/// directory) keep loading. If the path does not exist at all but the earlier rename-aside save left the
/// old model as a hidden <c>.&lt;name&gt;.&lt;guid&gt;.old</c> sibling (killed between its two renames),
/// that backup is used; the next save moves it back into place first.</para>
/// <para>Saves to one model are serialised by an exclusive lock on <c>.lock</c> in the model directory
/// (<see cref="FileShare.None"/>, an <c>flock</c> on Linux that dies with its process); a second
/// concurrent save fails at once instead of waiting. Because only the lock holder writes version
/// temporaries, the ones it finds are abandoned and are removed before the new version is written.
/// Readers take no lock. A reader racing a save can see its resolved version deleted before it opened
/// every file; <see cref="Load{T}"/> then resolves again.</para>
/// <para>Durability against power loss: every file of the version and then the version directory itself are
/// fsynced before the version is renamed; after the rename the model directory is fsynced (so the version's name
/// is on disk before the pointer names it); the pointer is written by <see cref="AtomicFile"/> (fsync, rename,
/// fsync of the directory). <see cref="DirectorySync"/> says what each OS does for a directory (on Windows,
/// nothing: NTFS journals renames). Durability against a killed process is complete.</para>
/// </remarks>
public static class VersionedDirectory
{
    /// <summary>How many times <see cref="Load{T}"/> resolves again when a save removes the version it was reading.</summary>
    private const int LoadAttempts = 4;

    /// <summary>
    /// True when <paramref name="path"/> is a folder whose current version holds <paramref name="markerFile"/>: how a
    /// model kind recognises its folders. Never throws: a missing, unreadable or damaged folder is simply not one.
    /// </summary>
    public static bool Holds(string path, string markerFile)
    {
        if (!Directory.Exists(path)) return false;
        try
        {
            return File.Exists(Path.Combine(Resolve(path, markerFile), markerFile));
        }
        catch (Exception e) when (e is IOException or XmrDataException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Writes a new version of the model at <paramref name="path"/> and makes it current.</summary>
    /// <param name="path">The model directory to create or update; its parent must exist. Named in errors as given.</param>
    /// <param name="markerFile">A file every complete model holds (its settings or manifest); an existing directory that
    /// holds anything but a model with this file (or this layout's own bookkeeping) is refused, never replaced.</param>
    /// <param name="write">Writes every file of the model into the (empty, hidden) directory it is given.</param>
    /// <exception cref="IOException">The path is a file, a foreign directory, or another save holds the lock.</exception>
    public static void Write(string path, string markerFile, Action<string> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentException.ThrowIfNullOrEmpty(markerFile);
        ArgumentNullException.ThrowIfNull(write);
        string full = FullPath(path);
        string parent = Path.GetDirectoryName(full) ?? throw new IOException($"{path}: has no parent directory.");
        if (!Directory.Exists(parent)) throw new DirectoryNotFoundException($"{path}: parent directory {parent} does not exist.");
        if (File.Exists(full)) throw new IOException($"{path}: is a file; a model is saved as a directory.");
        RestoreLegacyBackup(full, markerFile);
        CreateDirectory(full, path);
        if (!HoldsOnlyAModel(full, markerFile))
            throw new IOException($"{path}: exists and is not a model directory (it holds no {markerFile}); refusing to replace it.");
        using var saveLock = Lock(full, path);
        VersionedDirectoryCleanup.RemoveVersionTemporaries(full);
        string version = VersionName(NextSequence(full), DateTime.UtcNow);
        string temp = Path.Combine(full, TemporaryName(version)), final = Path.Combine(full, version);
        CreateDirectory(temp, path);
        try
        {
            write(temp);
            FlushFilesToDisk(temp);
            Directory.Move(temp, final);
            DirectorySync.Flush(full);
        }
        catch (Exception e)
        {
            VersionedDirectoryCleanup.TryDeleteDirectory(temp);
            if (e is IOException or UnauthorizedAccessException && SavePathErrors.Mentions(e, temp))
                throw SavePathErrors.Renamed(e, temp, path);
            throw;
        }
        try
        {
            AtomicFile.Write(Path.Combine(full, PointerFile), s => s.Write(Encoding.UTF8.GetBytes(version + "\n")));
        }
        catch
        {
            // The old pointer still names the old version; the new one would only be an orphan.
            VersionedDirectoryCleanup.TryDeleteDirectory(final);
            throw;
        }
        VersionedDirectoryCleanup.AfterCommit(full, version, markerFile);
    }

    /// <summary>
    /// The directory that holds the files of the model at <paramref name="path"/> (see the class remarks):
    /// a version sub-directory, the directory itself (flat layout), or a backup the earlier save left.
    /// </summary>
    /// <param name="path">The model path the user gave.</param>
    /// <param name="markerFile">A file every complete model holds; a fallback version must hold it.</param>
    /// <exception cref="DirectoryNotFoundException">Neither the directory nor a usable backup exists.</exception>
    /// <exception cref="XmrDataException">The pointer names a missing version and no other complete version is left.</exception>
    public static string Resolve(string path, string markerFile)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentException.ThrowIfNullOrEmpty(markerFile);
        string full = FullPath(path);
        if (Directory.Exists(full)) return ResolveInside(full, markerFile);
        var backups = LegacyBackups(full, markerFile);
        if (backups.Count > 0) return backups[0];
        throw new DirectoryNotFoundException($"{path}: no such model directory.");
    }

    /// <summary>
    /// Resolves <paramref name="path"/> and loads from the result; when the load fails because a concurrent save
    /// deleted that version meanwhile, resolves again (up to a few times).
    /// </summary>
    public static T Load<T>(string path, string markerFile, Func<string, T> load)
    {
        ArgumentNullException.ThrowIfNull(load);
        for (int attempt = 1; ; attempt++)
        {
            string directory = Resolve(path, markerFile);
            try
            {
                return load(directory);
            }
            catch (Exception) when (attempt < LoadAttempts && !Directory.Exists(directory))
            {
                // A newer save replaced this version while we were reading it: load the new one instead.
            }
        }
    }

    private static string ResolveInside(string directory, string markerFile)
    {
        string? pointed = ReadPointer(directory, out bool hasPointer);
        if (pointed is not null && Directory.Exists(Path.Combine(directory, pointed))) return Path.Combine(directory, pointed);
        foreach (string version in Versions(directory))
        {
            string candidate = Path.Combine(directory, version);
            if (File.Exists(Path.Combine(candidate, markerFile))) return candidate;
        }
        if (!hasPointer || File.Exists(Path.Combine(directory, markerFile))) return directory;
        throw new XmrDataException(Path.Combine(directory, PointerFile), null, null, null,
            pointed is null
                ? "does not name a model version, and no complete version is left in the directory."
                : $"names version {pointed}, which does not exist, and no other complete version is left in the directory.");
    }

    /// <summary>Empty, only this layout's bookkeeping, or a model (any layout) holding the marker file.</summary>
    private static bool HoldsOnlyAModel(string full, string markerFile)
    {
        if (Directory.EnumerateFileSystemEntries(full).All(e => IsBookkeeping(Path.GetFileName(e)))) return true;
        try
        {
            return File.Exists(Path.Combine(ResolveInside(full, markerFile), markerFile));
        }
        catch (XmrDataException)
        {
            return false;
        }
    }

    /// <summary>The earlier save, killed between its renames, left no target but the old model as a hidden sibling: put it back.</summary>
    private static void RestoreLegacyBackup(string full, string markerFile)
    {
        if (Directory.Exists(full)) return;
        var backups = LegacyBackups(full, markerFile);
        if (backups.Count == 0) return;
        try
        {
            Directory.Move(backups[0], full);
        }
        catch (IOException) when (Directory.Exists(full))
        {
            // Someone else restored or created it first; use theirs.
        }
    }

    private static FileStream Lock(string full, string path)
    {
        string file = Path.Combine(full, LockFile);
        try
        {
            return new FileStream(file, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new UnauthorizedAccessException($"{path}: cannot be written: permission denied in {full}.", e);
        }
        catch (IOException e) when (e is not DirectoryNotFoundException)
        {
            throw new IOException($"{path}: cannot take the save lock {file} ({e.Message}); is another save to this model in progress?", e);
        }
    }

    private static void CreateDirectory(string directory, string path)
    {
        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw SavePathErrors.Renamed(e, directory, path);
        }
    }

    private static int NextSequence(string full)
    {
        int last = 0;
        foreach (string version in Versions(full)) last = Math.Max(last, Sequence(version));
        if (ReadPointer(full, out _) is string pointed) last = Math.Max(last, Sequence(pointed));
        return checked(last + 1);
    }

    /// <summary>
    /// Forces every file of the new version, and the folders listing them, to disk before the rename publishes
    /// it, so that after a power loss a version name never stands for files whose data never reached the disk.
    /// </summary>
    private static void FlushFilesToDisk(string directory)
    {
        foreach (string file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, 1);
            stream.Flush(flushToDisk: true);
        }
        // The entries naming those files, deepest folders first, so no synced file hangs off an unsynced name.
        foreach (string folder in Directory.EnumerateDirectories(directory, "*", SearchOption.AllDirectories).Reverse())
            DirectorySync.Flush(folder);
        DirectorySync.Flush(directory);
    }

    private static string FullPath(string path) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
}
