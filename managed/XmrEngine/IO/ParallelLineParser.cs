using XmrEngine.Sparse;

namespace XmrEngine.IO;

/// <summary>What one byte range of a text file parsed into: its own label and feature rows, and its first error.</summary>
internal sealed class LineChunk(long bytes)
{
    /// <summary>Label rows of this range (capacity guessed from its size only to limit regrowth).</summary>
    public CsrAccumulator Labels { get; } = new((int)Math.Clamp(bytes / 64, 16, 1 << 20), (int)Math.Clamp(bytes / 32, 16, 1 << 22));

    /// <summary>Feature rows of this range; about 6 bytes per <c>id:v</c> token, as the serial readers guess.</summary>
    public CsrAccumulator Features { get; } = new((int)Math.Clamp(bytes / 64, 16, 1 << 20), (int)Math.Clamp(bytes / 6, 16, 1 << 26));

    /// <summary>The first malformed line of the range (parsing of the range stopped there), or null.</summary>
    public XmrDataException? Error { get; set; }
}

/// <summary>Handles one line (without its '\n' or a trailing '\r') with its 1-based number in the file.</summary>
internal delegate void LineHandler(ReadOnlySpan<byte> line, long lineNumber, LineChunk chunk);

/// <summary>
/// Parses the lines of a memory-mapped text file in parallel. The bytes after <c>start</c> are cut into
/// ranges that end just after a '\n' (so every line lies in one range); a first parallel pass counts each
/// range's '\n' bytes, which gives every range the file-wide number of its first line; a second pass hands
/// each range's lines, with their true numbers, to the handler on its own <see cref="LineChunk"/>. Concatenating
/// the chunks in order then gives exactly what a serial pass gives, and the first error in file order is the
/// error of the first chunk that has one, with the line number the serial reader would report.
/// </summary>
internal static unsafe class ParallelLineParser
{
    /// <summary>Largest range handed to one worker: far below the 2^31-byte limit of a span.</summary>
    private const long MaxChunkBytes = 1L << 30;

    /// <summary>
    /// Parses bytes [<paramref name="start"/>, end of file) whose first line is line <paramref name="firstLine"/>.
    /// Returns the chunks in file order and the number of lines they held, or null when a single line is too
    /// long for a span (the caller then reads serially, which reports that precisely).
    /// </summary>
    public static (LineChunk[] Chunks, long Lines)? Run(MappedFileView view, long start, long firstLine, int threads, long minChunkBytes, LineHandler handle)
    {
        var bounds = Split(view, start, threads, minChunkBytes);
        int count = bounds.Length - 1;
        for (int i = 0; i < count; i++)
            if (bounds[i + 1] - bounds[i] > int.MaxValue) return null;
        var options = new ParallelOptions { MaxDegreeOfParallelism = threads };
        var newlines = new long[count];
        Parallel.For(0, count, options, i => newlines[i] = Range(view, bounds, i).Count((byte)'\n'));
        var first = new long[count];
        long line = firstLine;
        for (int i = 0; i < count; i++)
        {
            first[i] = line;
            line += newlines[i];
        }
        var chunks = new LineChunk[count];
        Parallel.For(0, count, options, i => chunks[i] = Parse(Range(view, bounds, i), first[i], handle));
        // Only the last range can end without '\n'; its final piece is a line when it is not empty.
        bool openLast = count > 0 && bounds[count] > bounds[count - 1] && view.Pointer[bounds[count] - 1] != (byte)'\n';
        return (chunks, line - firstLine + (openLast ? 1 : 0));
    }

    private static ReadOnlySpan<byte> Range(MappedFileView view, long[] bounds, int i) =>
        view.Bytes(bounds[i], (int)(bounds[i + 1] - bounds[i]));

    private static LineChunk Parse(ReadOnlySpan<byte> bytes, long lineNumber, LineHandler handle)
    {
        var chunk = new LineChunk(bytes.Length);
        try
        {
            while (bytes.Length > 0)
            {
                int newline = bytes.IndexOf((byte)'\n');
                var line = newline < 0 ? bytes : bytes[..newline];
                handle(line.Length > 0 && line[^1] == (byte)'\r' ? line[..^1] : line, lineNumber++, chunk);
                bytes = newline < 0 ? default : bytes[(newline + 1)..];
            }
        }
        catch (XmrDataException e)
        {
            chunk.Error = e;
        }
        return chunk;
    }

    /// <summary>Range boundaries: equal byte targets moved forward to just after the next '\n'; never empty ranges.</summary>
    private static long[] Split(MappedFileView view, long start, int threads, long minChunkBytes)
    {
        long length = view.Length - start;
        // A few ranges per thread even out lines of uneven cost; the count never changes the result.
        long target = Math.Clamp(length / Math.Max(1, threads * 4), Math.Max(1, minChunkBytes), MaxChunkBytes);
        var bounds = new List<long> { start };
        long at = start;
        while (view.Length - at > target)
        {
            long next = NextLineStart(view, at + target - 1);
            if (next >= view.Length) break;
            bounds.Add(next);
            at = next;
        }
        bounds.Add(view.Length);
        return bounds.ToArray();
    }

    /// <summary>The position just after the first '\n' at or after <paramref name="from"/>, or the file length.</summary>
    private static long NextLineStart(MappedFileView view, long from)
    {
        while (from < view.Length)
        {
            int window = (int)Math.Min(1 << 20, view.Length - from);
            int found = view.Bytes(from, window).IndexOf((byte)'\n');
            if (found >= 0) return from + found + 1;
            from += window;
        }
        return view.Length;
    }
}
