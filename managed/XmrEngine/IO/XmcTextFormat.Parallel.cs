using XmrEngine.Sparse;

namespace XmrEngine.IO;

public static partial class XmcTextFormat
{
    /// <summary>
    /// Reads a file in XMC text format with up to <paramref name="threads"/> workers (0 = one per core):
    /// the file is memory-mapped, cut at line boundaries and the ranges parsed in parallel, which gives the
    /// same matrices and the same errors (with the same line numbers) as the serial
    /// <see cref="Read(Stream, string)"/>. Files under a few MB are read serially.
    /// </summary>
    /// <param name="path">The file to read.</param>
    /// <param name="threads">Maximum workers; 0 or less for one per processor.</param>
    /// <exception cref="XmrDataException">The content is malformed (see the remarks on the class).</exception>
    public static XmcDataset Read(string path, int threads)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        int workers = Common.ThreadCount.Resolve(threads);
        return ParallelTextFile.Worth(new FileInfo(path).Length, workers)
            ? ReadParallel(path, workers, ParallelTextFile.DefaultChunkBytes)
            : ReadSerial(path);
    }

    /// <summary>The parallel path with an explicit range size (tests force small ranges on small files).</summary>
    internal static XmcDataset ReadParallel(string path, int threads, long minChunkBytes) =>
        ParallelTextFile.WithMappedFile(path, (view, start) => ParseMapped(view, start, path, threads, minChunkBytes))
        ?? ReadSerial(path);

    private static XmcDataset ReadSerial(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        return Read(stream, path);
    }

    private static XmcDataset? ParseMapped(MappedFileView view, long start, string path, int threads, long minChunkBytes)
    {
        int headerLength = (int)Math.Min(view.Length - start, int.MaxValue);
        var rest = view.Bytes(start, headerLength);
        int newline = rest.IndexOf((byte)'\n');
        if (newline < 0 && view.Length - start > int.MaxValue) return null;
        var headerLine = newline < 0 ? rest : rest[..newline];
        if (headerLine.Length > 0 && headerLine[^1] == (byte)'\r') headerLine = headerLine[..^1];
        var (n, f, l) = ParseHeader(headerLine, path);
        var limits = new RowLimits(l, f, $"the header's L = {l}", $"the header's F = {f}", 0);
        long dataStart = newline < 0 ? view.Length : start + newline + 1;
        var result = ParallelLineParser.Run(view, dataStart, 2, threads, minChunkBytes, (line, number, chunk) =>
        {
            // Line 1 is the header, so line k holds row k - 2; after row N only blank lines may follow.
            if (number - 2 < n) SparseTextParser.ParseRow(line, chunk.Labels, chunk.Features, limits, path, number);
            else if (!SparseTextParser.IsBlankLine(line))
                throw new XmrDataException(path, number, null, "row count", $"the header says {n} rows but there is more data after them.");
        });
        if (result is not var (chunks, lines)) return null;
        if (!ParallelTextFile.FitsArrays(chunks)) return null;
        ParallelTextFile.ThrowFirstError(chunks);
        if (lines < n)
            throw new XmrDataException(path, lines + 2, null, "row count", $"the header says {n} rows but the file ends after {lines}.");
        return new XmcDataset(
            CsrAccumulator.Concatenate(chunks.Select(c => c.Features).ToArray(), f),
            CsrAccumulator.Concatenate(chunks.Select(c => c.Labels).ToArray(), l));
    }
}
