using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace XmrEngine.IO;

/// <summary>
/// The names inside a versioned model directory (see <see cref="VersionedDirectory"/>) and how to find
/// its versions, its pointer and the backups that the earlier rename-aside save could leave next to it.
/// </summary>
internal static partial class VersionedDirectoryLayout
{
    /// <summary>The pointer file: one line naming the current version sub-directory.</summary>
    public const string PointerFile = "CURRENT";

    /// <summary>Held with an exclusive lock for the whole of a save, so saves to one model never overlap.</summary>
    public const string LockFile = ".lock";

    /// <summary>What the rename-aside save (before versioned directories) called the moved-aside old model.</summary>
    public const string LegacyBackupSuffix = ".old";

    /// <summary>A version: <c>v-&lt;sequence&gt;-&lt;UTC time&gt;</c>; the sequence orders them, the time is for people.</summary>
    [GeneratedRegex(@"^v-(?<seq>[0-9]{8,9})-[0-9]{8}T[0-9]{6}Z$", RegexOptions.CultureInvariant)]
    private static partial Regex VersionPattern();

    /// <summary>A version being written: hidden, renamed to the version name once complete.</summary>
    [GeneratedRegex(@"^\.v-[0-9]{8,9}-[0-9]{8}T[0-9]{6}Z\.tmp$", RegexOptions.CultureInvariant)]
    private static partial Regex VersionTemporaryPattern();

    public static string VersionName(int sequence, DateTime utc) =>
        string.Create(CultureInfo.InvariantCulture, $"v-{sequence:D8}-{utc:yyyyMMdd'T'HHmmss'Z'}");

    public static string TemporaryName(string version) => "." + version + ".tmp";

    public static bool IsVersion(string name) => VersionPattern().IsMatch(name);

    public static bool IsVersionTemporary(string name) => VersionTemporaryPattern().IsMatch(name);

    /// <summary>Files and directories that belong to the layout rather than to a model saved in the flat layout.</summary>
    public static bool IsBookkeeping(string name) =>
        name == PointerFile || name == LockFile || IsVersionTemporary(name) || StaleTemporaries.IsTemporaryOf(name, PointerFile);

    /// <summary>The sequence number of a version name; <see cref="IsVersion"/> must hold.</summary>
    public static int Sequence(string version) =>
        int.Parse(VersionPattern().Match(version).Groups["seq"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture);

    /// <summary>The version sub-directories of <paramref name="directory"/>, newest (highest sequence) first.</summary>
    public static List<string> Versions(string directory)
    {
        var names = new List<string>();
        foreach (string sub in Directory.EnumerateDirectories(directory))
        {
            string name = Path.GetFileName(sub);
            if (IsVersion(name)) names.Add(name);
        }
        names.Sort((a, b) => Sequence(b).CompareTo(Sequence(a)));
        return names;
    }

    /// <summary>
    /// The version the pointer names, or null when there is no pointer. A pointer that does not hold a
    /// version name (hand-edited, or written by something else) counts as naming a missing version, so it
    /// can never lead outside the model directory.
    /// </summary>
    public static string? ReadPointer(string directory, out bool exists)
    {
        string pointer = Path.Combine(directory, PointerFile);
        exists = File.Exists(pointer);
        if (!exists) return null;
        string text;
        try
        {
            // The pointer is a few bytes; a bigger file is not ours.
            using var stream = new FileStream(pointer, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1);
            var buffer = new byte[256];
            int length = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            text = Encoding.UTF8.GetString(buffer, 0, length).Trim();
        }
        catch (FileNotFoundException)
        {
            exists = false;
            return null;
        }
        return IsVersion(text) ? text : null;
    }

    /// <summary>
    /// Backups the rename-aside save left when it was killed between its two renames
    /// (<c>.&lt;name&gt;.&lt;guid&gt;.old</c> next to the target) that hold <paramref name="markerFile"/>, newest first.
    /// </summary>
    public static List<string> LegacyBackups(string full, string markerFile)
    {
        string parent = Path.GetDirectoryName(full)!, name = Path.GetFileName(full);
        var found = new List<(string Path, DateTime Written)>();
        try
        {
            foreach (string sibling in Directory.EnumerateDirectories(parent, $".{name}.*{LegacyBackupSuffix}"))
            {
                if (!StaleTemporaries.IsTemporaryOf(Path.GetFileName(sibling), name, LegacyBackupSuffix)) continue;
                if (File.Exists(Path.Combine(sibling, markerFile))) found.Add((sibling, Directory.GetLastWriteTimeUtc(sibling)));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
        return found.OrderByDescending(f => f.Written).Select(f => f.Path).ToList();
    }
}
