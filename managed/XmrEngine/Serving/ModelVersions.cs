using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;
using XmrEngine.IO;
using XmrEngine.Persistence;

namespace XmrEngine.Serving;

/// <summary>Names a version of a model's files, so that equal names mean the same model.</summary>
public static class ModelVersions
{
    /// <summary>
    /// An XmrEngine model file's whole-file XxHash64 (read from its trailer; hashed when the file is of an older
    /// format without one), as <c>xxh64:</c> and 16 hex digits.
    /// </summary>
    public static string OfFile(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        if (stream.Length >= 16)
        {
            Span<byte> trailer = stackalloc byte[16];
            stream.Seek(-16, SeekOrigin.End);
            stream.ReadExactly(trailer);
            if (trailer[8..].SequenceEqual(ModelFileFormat.EndMagic))
                return "xxh64:" + BinaryPrimitives.ReadUInt64LittleEndian(trailer).ToString("x16");
            stream.Seek(0, SeekOrigin.Begin);
        }
        var hash = new XxHash64();
        hash.Append(stream);
        return "xxh64:" + Convert.ToHexStringLower(hash.GetCurrentHash());
    }

    /// <summary>
    /// A folder's version: for a folder saved as versions (<see cref="VersionedDirectory"/>, marked by
    /// <paramref name="marker"/>) the current version's folder name; otherwise an XxHash64 over every visible file's
    /// relative path and content.
    /// </summary>
    public static string OfFolder(string path, string? marker) =>
        OfLoadedFolder(path, marker is null ? path : VersionedDirectory.Resolve(path, marker));

    /// <summary>
    /// The version of a folder model at <paramref name="path"/> whose files were read from <paramref name="resolved"/>
    /// (what <see cref="VersionedDirectory.Load{T}"/> handed its reader): that version folder's name, or for files
    /// directly in the folder an XxHash64 over every visible file's relative path and content.
    /// </summary>
    public static string OfLoadedFolder(string path, string resolved)
    {
        if (!string.Equals(Path.GetFullPath(resolved).TrimEnd('/'), Path.GetFullPath(path).TrimEnd('/'), StringComparison.Ordinal))
            return Path.GetFileName(resolved.TrimEnd('/'));
        var hash = new XxHash64();
        foreach (var file in VisibleFiles(path))
        {
            hash.Append(Encoding.UTF8.GetBytes(Path.GetRelativePath(path, file.FullName)));
            using var stream = file.OpenRead();
            hash.Append(stream);
        }
        return "xxh64:" + Convert.ToHexStringLower(hash.GetCurrentHash());
    }

    /// <summary>
    /// <see cref="OfFile"/> or, for a folder, <see cref="OfFolder"/> with <paramref name="marker"/>; null instead of an
    /// exception when the path is missing, unreadable or not a model of that shape (a reload then loads to find out).
    /// </summary>
    public static string? TryOf(string path, string? marker)
    {
        try
        {
            if (File.Exists(path)) return OfFile(path);
            return Directory.Exists(path) ? OfFolder(path, marker) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or XmrDataException)
        {
            return null;
        }
    }

    /// <summary>Every file under <paramref name="directory"/> except hidden ones (savers' temporaries), in ordinal order.</summary>
    public static IEnumerable<FileInfo> VisibleFiles(string directory)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = true };
        return new DirectoryInfo(directory).EnumerateFiles("*", options)
            .Where(f => !Path.GetRelativePath(directory, f.FullName).Split('/').Any(part => part.StartsWith('.')))
            .OrderBy(f => f.FullName, StringComparer.Ordinal);
    }
}
