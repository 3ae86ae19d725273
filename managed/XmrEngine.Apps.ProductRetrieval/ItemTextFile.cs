using System.Text;

namespace XmrEngine.Apps.ProductRetrieval;

/// <summary>
/// The item texts of a saved model, binary so any text (tabs, newlines) round-trips:
/// <c>"XMRITEMS"</c>, int32 version 1, int32 count, count length-prefixed UTF-8 strings, <c>"XMRIEND!"</c>.
/// </summary>
internal static class ItemTextFile
{
    private static ReadOnlySpan<byte> Magic => "XMRITEMS"u8;
    private static ReadOnlySpan<byte> Trailer => "XMRIEND!"u8;
    private const int Version = 1;
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static void Write(Stream stream, IReadOnlyList<string> items)
    {
        using var w = new BinaryWriter(stream, StrictUtf8, leaveOpen: true);
        w.Write(Magic);
        w.Write(Version);
        w.Write(items.Count);
        foreach (var item in items) w.Write(item);
        w.Write(Trailer);
    }

    public static string[] Read(string path)
    {
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        using var r = new BinaryReader(fs, StrictUtf8);
        int index = -1;
        try
        {
            Span<byte> tag = stackalloc byte[8];
            fs.ReadExactly(tag);
            if (!tag.SequenceEqual(Magic)) throw Bad(path, "not an item text file (wrong magic bytes)");
            int version = r.ReadInt32();
            if (version != Version) throw Bad(path, $"format version {version} is not supported (expected {Version})");
            int count = r.ReadInt32();
            // Every string takes at least one byte, so a count beyond the file length is damage, not data.
            if (count < 0 || count > fs.Length) throw Bad(path, $"item count {count} is impossible for a file of {fs.Length} bytes");
            var items = new string[count];
            for (index = 0; index < count; index++) items[index] = r.ReadString();
            index = -1;
            fs.ReadExactly(tag);
            if (!tag.SequenceEqual(Trailer)) throw Bad(path, "the end marker is missing (truncated or damaged file)");
            if (fs.Position != fs.Length) throw Bad(path, $"{fs.Length - fs.Position} unexpected bytes after the end marker");
            return items;
        }
        catch (Exception ex) when (ex is EndOfStreamException or DecoderFallbackException or IOException and not FileNotFoundException)
        {
            string where = index >= 0 ? $"item {index}" : "the header or trailer";
            throw Bad(path, $"cannot read {where}: {ex.Message}", ex);
        }
    }

    private static IO.XmrDataException Bad(string path, string problem, Exception? inner = null) => new(path, null, null, null, $"{problem}.", inner);
}
