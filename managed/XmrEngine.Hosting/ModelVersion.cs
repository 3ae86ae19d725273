using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;
using XmrEngine.Serving;

namespace XmrEngine.Hosting;

/// <summary>Fingerprints a model's files cheaply, so a poll can tell that they changed without reading them.</summary>
internal static class ModelVersion
{
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
                foreach (var file in ModelVersions.VisibleFiles(path)) AddStat(hash, file, Path.GetRelativePath(path, file.FullName));
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
}
