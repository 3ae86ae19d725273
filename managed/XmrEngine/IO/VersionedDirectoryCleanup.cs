using static XmrEngine.IO.VersionedDirectoryLayout;

namespace XmrEngine.IO;

/// <summary>
/// Removes what a <see cref="VersionedDirectory"/> save no longer needs. Everything here is best effort
/// (a failure leaves a file that the next save tries again) and runs only while the save lock is held.
/// </summary>
internal static class VersionedDirectoryCleanup
{
    /// <summary>
    /// Version temporaries of saves that died. Only the lock holder writes them, and it is us, so every one
    /// found is abandoned; removing them first keeps a series of killed saves from filling the disk.
    /// </summary>
    public static void RemoveVersionTemporaries(string full)
    {
        foreach (string sub in SafeList(() => Directory.GetDirectories(full)))
            if (IsVersionTemporary(Path.GetFileName(sub))) TryDeleteDirectory(sub);
    }

    /// <summary>After the pointer names <paramref name="current"/>: older versions, the flat layout's files and the earlier save's leftovers.</summary>
    public static void AfterCommit(string full, string current, string markerFile)
    {
        foreach (string version in SafeList(() => Versions(full)))
            if (version != current) TryDeleteDirectory(Path.Combine(full, version));
        // A model saved in the flat layout before: its files sit at the top level and are now superseded.
        // Only when the marker proves the top level was a model, so nothing foreign is ever deleted.
        if (File.Exists(Path.Combine(full, markerFile)))
        {
            foreach (string file in SafeList(() => Directory.GetFiles(full)))
            {
                string name = Path.GetFileName(file);
                if (!IsBookkeeping(name) && !name.StartsWith('.') && name != markerFile) TryDeleteFile(file);
            }
            // The marker goes last, so an interrupted clean-up is recognised and finished by the next save.
            TryDeleteFile(Path.Combine(full, markerFile));
        }
        RemoveLegacySiblings(full);
    }

    /// <summary>
    /// The earlier rename-aside save's hidden siblings: backups (<c>.name.guid.old</c>), superseded now that a
    /// new version is current, and temporaries (<c>.name.guid.tmp</c>). Those cannot be locked, so a temporary
    /// is removed only when nothing in it was written for <see cref="StaleTemporaries.MinimumAge"/>.
    /// </summary>
    private static void RemoveLegacySiblings(string full)
    {
        string parent = Path.GetDirectoryName(full)!, name = Path.GetFileName(full);
        DateTime cutoff = DateTime.UtcNow - StaleTemporaries.MinimumAge;
        foreach (string sibling in SafeList(() => Directory.GetDirectories(parent, $".{name}.*")))
        {
            string sibName = Path.GetFileName(sibling);
            if (StaleTemporaries.IsTemporaryOf(sibName, name, LegacyBackupSuffix)) TryDeleteDirectory(sibling);
            else if (StaleTemporaries.IsTemporaryOf(sibName, name) && LastWrite(sibling) < cutoff) TryDeleteDirectory(sibling);
        }
    }

    private static DateTime LastWrite(string directory)
    {
        try
        {
            var last = Directory.GetLastWriteTimeUtc(directory);
            foreach (string file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories))
            {
                var written = File.GetLastWriteTimeUtc(file);
                if (written > last) last = written;
            }
            return last;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return DateTime.MaxValue; // cannot tell: keep it
        }
    }

    public static void TryDeleteDirectory(string directory)
    {
        try
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // Files still open where the platform forbids deleting them, or already gone: the next save retries.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static void TryDeleteFile(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static IEnumerable<string> SafeList(Func<IEnumerable<string>> list)
    {
        try
        {
            return list().ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
