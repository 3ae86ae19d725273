namespace XmrEngine.IO;

/// <summary>
/// The shared frame of the parallel text readers: maps the file, skips a UTF-8 byte-order mark, and
/// decides when parallel parsing is worth it. The per-format line rules live in the format classes.
/// </summary>
internal static class ParallelTextFile
{
    /// <summary>Below this size a file is parsed serially: starting workers and mapping cost more than they save.</summary>
    public const long MinParallelBytes = 4L << 20;

    /// <summary>Smallest byte range handed to one worker in normal use.</summary>
    public const long DefaultChunkBytes = 1L << 20;

    /// <summary>Whether a file of <paramref name="length"/> bytes read with <paramref name="threads"/> workers goes through the parallel path.</summary>
    public static bool Worth(long length, int threads) => threads > 1 && length >= MinParallelBytes;

    /// <summary>
    /// Maps <paramref name="path"/> and runs <paramref name="parse"/> on the view with the offset of the first
    /// byte after a byte-order mark. Returns null without calling it when the file is empty or holds only a
    /// byte-order mark (the serial reader words that case).
    /// </summary>
    public static T? WithMappedFile<T>(string path, Func<MappedFileView, long, T?> parse) where T : class
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        long length = RandomAccess.GetLength(handle);
        if (length == 0) return null;
        using var view = MappedFileView.Open(handle, length, path);
        var p = view.Bytes(0, (int)Math.Min(3, length));
        long start = p.Length == 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF ? 3 : 0;
        return start == length ? null : parse(view, start);
    }

    /// <summary>The first chunk's error in file order; chunks after it may have stopped early or parsed on, which no longer matters.</summary>
    public static void ThrowFirstError(LineChunk[] chunks)
    {
        foreach (var c in chunks)
            if (c.Error is not null) throw c.Error;
    }

    /// <summary>
    /// Whether the chunks together stay within what one accumulator can hold; when they do not, the caller
    /// falls back to the serial reader, whose "too many" error names the exact line.
    /// </summary>
    public static bool FitsArrays(LineChunk[] chunks)
    {
        long rows = 0, labels = 0, features = 0;
        foreach (var c in chunks)
        {
            rows += c.Features.Rows;
            labels += c.Labels.Count;
            features += c.Features.Count;
        }
        return rows < Array.MaxLength - 1 && labels < Array.MaxLength && features < Array.MaxLength;
    }
}
