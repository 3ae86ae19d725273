using System.Globalization;

namespace XmrEngine.IO;

/// <summary>
/// Names the hidden temporaries that atomic saves write next to their target (<c>.&lt;name&gt;.&lt;32 hex
/// digits&gt;.tmp</c>) and removes the ones a killed save left behind. A leftover is removed only when it is
/// provably ours and provably unused: its name has exactly that pattern for the same target, it was last
/// modified at least <see cref="MinimumAge"/> ago, and an exclusive lock on it can be taken. The lock is
/// what protects a save in progress: <see cref="AtomicFile"/> holds its temporary open with
/// <see cref="FileShare.None"/> (on Linux and macOS .NET turns that into an exclusive <c>flock</c>, which
/// the kernel drops when the process dies), so a live writer's file cannot be locked. The age covers the
/// instants when a live writer's file is not locked: between creating and locking it, and between closing
/// and renaming it. It also protects writers whose platform ignores locks (<c>DOTNET_SYSTEM_IO_DISABLEFILELOCKING</c>):
/// there, a temporary that has not been written to for that long is taken for abandoned.
/// </summary>
internal static class StaleTemporaries
{
    /// <summary>How long a temporary must have gone unmodified before it can count as abandoned.</summary>
    public static readonly TimeSpan MinimumAge = TimeSpan.FromSeconds(10);

    private const string Suffix = ".tmp";
    private const int GuidDigits = 32;

    /// <summary>A fresh temporary name for <paramref name="targetName"/> (a file or directory name, no path).</summary>
    public static string NewName(string targetName, string suffix = Suffix) =>
        $".{targetName}.{Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture)}{suffix}";

    /// <summary>Whether <paramref name="candidate"/> (a name, no path) is a temporary of <paramref name="targetName"/>.</summary>
    public static bool IsTemporaryOf(string candidate, string targetName, string suffix = Suffix)
    {
        int prefix = targetName.Length + 2;
        if (candidate.Length != prefix + GuidDigits + suffix.Length) return false;
        if (candidate[0] != '.' || candidate[prefix - 1] != '.') return false;
        if (string.CompareOrdinal(candidate, 1, targetName, 0, targetName.Length) != 0) return false;
        if (!candidate.EndsWith(suffix, StringComparison.Ordinal)) return false;
        foreach (char c in candidate.AsSpan(prefix, GuidDigits))
            if (!char.IsAsciiHexDigitLower(c)) return false; // Guid "N" format: 0-9 and a-f
        return true;
    }

    /// <summary>The target a temporary name was made for by <see cref="NewName"/> (default suffix), or null when it is not one.</summary>
    public static string? TargetOf(string candidate)
    {
        int tail = 1 + GuidDigits + Suffix.Length;
        if (candidate.Length <= 1 + tail) return null;
        string target = candidate[1..^tail];
        return IsTemporaryOf(candidate, target) ? target : null;
    }

    /// <summary>
    /// Removes abandoned temporary files of <paramref name="targetName"/> in <paramref name="directory"/>
    /// (see the class remarks for the rule). Best effort: whatever cannot be examined or removed stays.
    /// </summary>
    public static void RemoveFiles(string directory, string targetName)
    {
        DateTime cutoff = DateTime.UtcNow - MinimumAge;
        foreach (string candidate in Enumerate(directory, targetName))
        {
            try
            {
                if (!IsTemporaryOf(Path.GetFileName(candidate), targetName)) continue;
                if (File.GetLastWriteTimeUtc(candidate) > cutoff) continue;
                // Succeeds only if no writer holds the file. Writers create temporaries with CreateNew under a
                // fresh name, so once we have seen it unlocked nobody can take it up again before we delete it.
                using (new FileStream(candidate, FileMode.Open, FileAccess.ReadWrite, FileShare.None, 1))
                {
                }
                File.Delete(candidate);
            }
            catch (IOException)
            {
                // Locked (a save in progress), already gone, or not removable: leave it.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }

    private static string[] Enumerate(string directory, string targetName)
    {
        try
        {
            // The pattern only narrows the listing; IsTemporaryOf decides (names may hold '*' or '?').
            return Directory.GetFiles(directory, $".{targetName}.*{Suffix}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return [];
        }
    }
}
