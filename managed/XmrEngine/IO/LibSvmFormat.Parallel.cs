using XmrEngine.Sparse;

namespace XmrEngine.IO;

public static partial class LibSvmFormat
{
    /// <summary>
    /// Reads a multi-label LIBSVM file with up to <paramref name="threads"/> workers (0 = one per core): the
    /// file is memory-mapped, cut at line boundaries and the ranges parsed in parallel, which gives the same
    /// matrices and the same errors (with the same line numbers) as the serial stream reader. Files under a
    /// few MB are read serially.
    /// </summary>
    /// <param name="path">The file to read.</param>
    /// <param name="featureCount">Number of feature columns, or <c>null</c> to use the largest feature id + 1.</param>
    /// <param name="labelCount">Number of label columns, or <c>null</c> to use the largest label id + 1.</param>
    /// <param name="featureIndexBase">The id of the first feature in the file: 0 or 1.</param>
    /// <param name="threads">Maximum workers; 0 or less for one per processor.</param>
    /// <exception cref="XmrDataException">The content is malformed or exceeds a given count.</exception>
    public static XmcDataset Read(string path, int? featureCount, int? labelCount, int featureIndexBase, int threads)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        int workers = Common.ThreadCount.Resolve(threads);
        return ParallelTextFile.Worth(new FileInfo(path).Length, workers)
            ? ReadParallel(path, workers, ParallelTextFile.DefaultChunkBytes, featureCount, labelCount, featureIndexBase)
            : ReadSerial(path, featureCount, labelCount, featureIndexBase);
    }

    /// <summary>The parallel path with an explicit range size (tests force small ranges on small files).</summary>
    internal static XmcDataset ReadParallel(string path, int threads, long minChunkBytes, int? featureCount = null, int? labelCount = null, int featureIndexBase = 0)
    {
        CheckBase(featureIndexBase);
        if (featureCount < 0) throw new ArgumentOutOfRangeException(nameof(featureCount), featureCount, "Must be non-negative.");
        if (labelCount < 0) throw new ArgumentOutOfRangeException(nameof(labelCount), labelCount, "Must be non-negative.");
        var limits = Limits(featureCount, labelCount, featureIndexBase);
        // '#' starts an SVMlight comment; a line that is only a comment is not a row.
        return ParallelTextFile.WithMappedFile(path, (view, start) =>
        {
            var result = ParallelLineParser.Run(view, start, 1, threads, minChunkBytes, (line, number, chunk) =>
            {
                int hash = line.IndexOf((byte)'#');
                if (hash >= 0)
                {
                    if (SparseTextParser.IsBlankLine(line[..hash])) return;
                    line = line[..hash];
                }
                SparseTextParser.ParseRow(line, chunk.Labels, chunk.Features, limits, path, number);
            });
            if (result is not var (chunks, _)) return null;
            if (!ParallelTextFile.FitsArrays(chunks)) return null;
            ParallelTextFile.ThrowFirstError(chunks);
            int maxFeature = chunks.Max(c => c.Features.MaxIndex), maxLabel = chunks.Max(c => c.Labels.MaxIndex);
            return new XmcDataset(
                CsrAccumulator.Concatenate(chunks.Select(c => c.Features).ToArray(), featureCount ?? maxFeature + 1),
                CsrAccumulator.Concatenate(chunks.Select(c => c.Labels).ToArray(), labelCount ?? maxLabel + 1));
        }) ?? ReadSerial(path, featureCount, labelCount, featureIndexBase);
    }

    private static XmcDataset ReadSerial(string path, int? featureCount, int? labelCount, int featureIndexBase)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        return Read(stream, path, featureCount, labelCount, featureIndexBase);
    }
}
