using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;
using XmrEngine.IO;

namespace XmrEngine.Hosting;

/// <summary>
/// Names a version of a model's files, and fingerprints them cheaply so a poll can tell that they changed
/// without reading them.
/// </summary>
internal static class ModelVersion
{
    private static ReadOnlySpan<byte> EndMagic => "XMRENDOK"u8;

    /// <summary>
    /// The version of the model at <paramref name="path"/>: an <c>.xmr</c> file's whole-file XxHash64 (read from
    /// its trailer; hashed when the file is of an older format without one), a saved folder's current version
    /// name, or an XxHash64 over a PECOS folder's files.
    /// </summary>
    public static string Of(string path, ModelKind kind)
    {
        if (File.Exists(path)) return "xxh64:" + FileHash(path);
        string? marker = ModelKindDetector.MarkerOf(kind);
        if (marker is not null)
        {
            string resolved = VersionedDirectory.Resolve(path, marker);
            if (!string.Equals(Path.GetFullPath(resolved).TrimEnd('/'), Path.GetFullPath(path).TrimEnd('/'), StringComparison.Ordinal))
                return Path.GetFileName(resolved.TrimEnd('/'));
        }
        return "xxh64:" + FolderHash(path);
    }

    /// <summary>
    /// Size and modification time of every file under <paramref name="path"/> (or of the file), hashed; changes
    /// whenever a saver replaces anything. Hidden entries (saver temporaries) are left out. "missing" when the path is gone.
    /// </summary>
    public static string Fingerprint(string path)
    {
        var hash = new XxHash64();
        try
        {
            if (File.Exists(path)) AddStat(hash, new FileInfo(path), "");
            else if (Directory.Exists(path))
                foreach (var file in VisibleFiles(path)) AddStat(hash, file, Path.GetRelativePath(path, file.FullName));
            else return "missing";
        }
        catch (IOException)
        {
            return "changing";
        }
        return Convert.ToHexStringLower(hash.GetCurrentHash());
    }

    private static void AddStat(XxHash64 hash, FileInfo file, string relative)
    {
        Span<byte> b = stackalloc byte[16];
        BinaryPrimitives.WriteInt64LittleEndian(b, file.Length);
        BinaryPrimitives.WriteInt64LittleEndian(b[8..], file.LastWriteTimeUtc.Ticks);
        hash.Append(Encoding.UTF8.GetBytes(relative));
        hash.Append(b);
    }

    private static string FileHash(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        if (stream.Length >= 16)
        {
            Span<byte> trailer = stackalloc byte[16];
            stream.Seek(-16, SeekOrigin.End);
            stream.ReadExactly(trailer);
            if (trailer[8..].SequenceEqual(EndMagic))
                return BinaryPrimitives.ReadUInt64LittleEndian(trailer).ToString("x16");
            stream.Seek(0, SeekOrigin.Begin);
        }
        var hash = new XxHash64();
        hash.Append(stream);
        return Convert.ToHexStringLower(hash.GetCurrentHash());
    }

    private static string FolderHash(string directory)
    {
        var hash = new XxHash64();
        foreach (var file in VisibleFiles(directory))
        {
            hash.Append(Encoding.UTF8.GetBytes(Path.GetRelativePath(directory, file.FullName)));
            using var stream = file.OpenRead();
            hash.Append(stream);
        }
        return Convert.ToHexStringLower(hash.GetCurrentHash());
    }

    private static IEnumerable<FileInfo> VisibleFiles(string directory)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = true };
        return new DirectoryInfo(directory).EnumerateFiles("*", options)
            .Where(f => !Path.GetRelativePath(directory, f.FullName).Split('/').Any(part => part.StartsWith('.')))
            .OrderBy(f => f.FullName, StringComparer.Ordinal);
    }
}
