using XmrEngine.IO;
using static XmrEngine.IO.VersionedDirectoryLayout;

namespace XmrEngine.Tests.IO;

/// <summary>Where a directory save can be killed; each leaves the disk in a different state.</summary>
public enum Interruption
{
    /// <summary>The new version's hidden temporary directory holds only some of its files.</summary>
    WhileWritingVersion,

    /// <summary>The new version is complete and renamed, but CURRENT still names the old one.</summary>
    BeforePointerReplaced,

    /// <summary>As above, plus a half-written temporary of the new pointer.</summary>
    WhileReplacingPointer,

    /// <summary>CURRENT names the new version; the old one is half deleted.</summary>
    WhileRemovingOldVersion,

    /// <summary>The first save over a model in the flat layout: new version renamed, no pointer yet.</summary>
    FirstSaveOverFlatModel,

    /// <summary>CURRENT names a version that is gone (removed by hand, or a damaged disk).</summary>
    PointerNamesMissingVersion,

    /// <summary>The earlier rename-aside save, killed between its renames: no target, the old model as <c>.name.guid.old</c>.</summary>
    LegacySaveBetweenRenames,
}

/// <summary>
/// Recreates on disk what a save killed at a given <see cref="Interruption"/> leaves behind, from two real
/// saves: the model at <c>model</c> (the old one) and a complete save of the new model elsewhere, whose
/// files stand for what the killed save had written. Tests then check which model the loader finds.
/// </summary>
public static class InterruptedSave
{
    public static IEnumerable<Interruption> All => Enum.GetValues<Interruption>();

    /// <summary>Applies <paramref name="point"/>; returns true when the new model is the one that must load.</summary>
    public static bool Simulate(string model, string newSave, string markerFile, Interruption point)
    {
        string newFiles = VersionedDirectory.Resolve(newSave, markerFile);
        string oldVersion = VersionedDirectory.Resolve(model, markerFile);
        string NextVersion(int skip = 0) => VersionName(Sequence(Path.GetFileName(oldVersion)) + 1 + skip, DateTime.UtcNow);
        switch (point)
        {
            case Interruption.WhileWritingVersion:
            {
                string temp = Path.Combine(model, TemporaryName(NextVersion()));
                var files = Directory.GetFiles(newFiles).Order(StringComparer.Ordinal).ToArray();
                Directory.CreateDirectory(temp);
                foreach (string f in files.Take(files.Length / 2)) File.Copy(f, Path.Combine(temp, Path.GetFileName(f)));
                string half = files[files.Length / 2];
                var bytes = File.ReadAllBytes(half);
                File.WriteAllBytes(Path.Combine(temp, StaleTemporaries.NewName(Path.GetFileName(half))), bytes[..(bytes.Length / 2)]);
                return false;
            }
            case Interruption.BeforePointerReplaced:
                CopyFiles(newFiles, Path.Combine(model, NextVersion()));
                return false;
            case Interruption.WhileReplacingPointer:
                CopyFiles(newFiles, Path.Combine(model, NextVersion()));
                string pointerTemp = Path.Combine(model, StaleTemporaries.NewName(PointerFile));
                File.WriteAllText(pointerTemp, "v-0000");
                // The killed save's temporary ages: only then may the next save take it for abandoned.
                File.SetLastWriteTimeUtc(pointerTemp, DateTime.UtcNow.AddMinutes(-5));
                return false;
            case Interruption.WhileRemovingOldVersion:
            {
                string next = NextVersion();
                CopyFiles(newFiles, Path.Combine(model, next));
                File.WriteAllText(Path.Combine(model, PointerFile), next + "\n");
                File.Delete(Path.Combine(oldVersion, markerFile));
                File.Delete(Directory.GetFiles(oldVersion).Order(StringComparer.Ordinal).First());
                return true;
            }
            case Interruption.FirstSaveOverFlatModel:
                ToFlatLayout(model);
                CopyFiles(newFiles, Path.Combine(model, VersionName(1, DateTime.UtcNow)));
                return true;
            case Interruption.PointerNamesMissingVersion:
                CopyFiles(newFiles, Path.Combine(model, NextVersion()));
                File.WriteAllText(Path.Combine(model, PointerFile), NextVersion(5) + "\n");
                return true;
            case Interruption.LegacySaveBetweenRenames:
            {
                ToFlatLayout(model);
                string parent = Path.GetDirectoryName(model)!, name = Path.GetFileName(model);
                Directory.Move(model, Path.Combine(parent, StaleTemporaries.NewName(name, ".old")));
                string temp = Path.Combine(parent, StaleTemporaries.NewName(name));
                CopyFiles(newFiles, temp);
                // The rename-aside save's temporary may be complete or not: it must never be trusted.
                File.Delete(Directory.GetFiles(temp).First());
                // Its leftovers are only removed once they have been idle for a while.
                foreach (string f in Directory.GetFiles(temp)) File.SetLastWriteTimeUtc(f, DateTime.UtcNow.AddMinutes(-5));
                Directory.SetLastWriteTimeUtc(temp, DateTime.UtcNow.AddMinutes(-5));
                return false;
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(point));
        }
    }

    /// <summary>Turns a versioned model directory into the flat layout earlier builds wrote.</summary>
    public static void ToFlatLayout(string model)
    {
        string files = model + ".flat-layout";
        Directory.Move(VersionedDirectory.Resolve(model, "-"), files);
        Directory.Delete(model, recursive: true);
        Directory.Move(files, model);
    }

    /// <summary>Asserts a save left nothing but the pointer, the lock and one version, and no sibling next to the model.</summary>
    public static void AssertClean(string model)
    {
        var entries = Directory.GetFileSystemEntries(model).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        Assert.That(entries, Has.Length.EqualTo(3), string.Join(", ", entries));
        Assert.That(entries[0], Is.EqualTo(LockFile));
        Assert.That(entries[1], Is.EqualTo(PointerFile));
        Assert.That(IsVersion(entries[2]!), Is.True, entries[2]);
        Assert.That(Directory.GetFileSystemEntries(Path.GetDirectoryName(model)!, "." + Path.GetFileName(model) + "*"), Is.Empty);
    }

    private static void CopyFiles(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (string f in Directory.GetFiles(from)) File.Copy(f, Path.Combine(to, Path.GetFileName(f)));
    }
}
