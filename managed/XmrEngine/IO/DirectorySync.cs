using System.Runtime.InteropServices;

namespace XmrEngine.IO;

/// <summary>
/// Makes a rename durable: after <c>rename(temp, target)</c> the new directory entry lives only in the directory's
/// cached metadata until the directory itself is synced, so a power loss right after a save could bring back the old
/// entry (or, for a new name, none) even though the file's data was synced. What is done per OS:
/// <list type="bullet">
/// <item>Linux and macOS: the directory is opened read-only with <c>open(2)</c> and <c>fsync(2)</c>ed (.NET has no API
/// for a directory handle). On macOS <c>fsync</c> reaches the drive, not necessarily its platters (that needs
/// <c>F_FULLFSYNC</c>), the same guarantee the file data gets.</item>
/// <item>Windows: nothing here. NTFS journals the rename itself; the file data is flushed with
/// <c>FlushFileBuffers</c> (<see cref="FileStream.Flush(bool)"/>) before <see cref="File.Move(string, string, bool)"/>
/// replaces the target with <c>MoveFileEx(MOVEFILE_REPLACE_EXISTING)</c>, and Windows cannot open a directory
/// for flushing without backup privileges.</item>
/// </list>
/// A file system that cannot sync a directory (some network and FUSE file systems answer <c>EINVAL</c>) is skipped:
/// the save has already replaced the target, and failing it would only report a durable save as lost. An I/O error
/// (<c>EIO</c>) is reported, because then the disk may not hold what the save wrote.
/// </summary>
internal static partial class DirectorySync
{
    private const int ReadOnly = 0; // O_RDONLY, 0 on Linux and macOS
    private const int IoError = 5;  // EIO, 5 on Linux and macOS

    /// <summary>Syncs the entries of <paramref name="directory"/> to disk (see the class remarks for what each OS does).</summary>
    /// <exception cref="IOException">The sync failed with an I/O error.</exception>
    public static void Flush(string directory)
    {
        if (!(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())) return;
        int fd = Open(directory, ReadOnly);
        if (fd < 0) return; // Unreadable directory (permissions): the rename stands, as durable as the journal makes it.
        try
        {
            if (Fsync(fd) != 0 && Marshal.GetLastPInvokeError() == IoError)
                throw new IOException($"{directory}: fsync of the directory failed with an I/O error after a save into it.");
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
