using XmrEngine.Sparse;
using XmrEngine.Common;

namespace XmrEngine.IO;

/// <summary>
/// The multi-label LIBSVM / SVMlight text format: one line per row, <c>l1,l2 f:v f:v ...</c>, no header.
/// Dimensions are the given counts, or the largest id + 1 seen in the file when a count is not given.
/// Label ids are 0-based; feature ids start at <c>featureIndexBase</c> (0 by default; classic LIBSVM
/// files number features from 1).
/// </summary>
/// <remarks>
/// <para>Row syntax, fixes and rejections are those of <see cref="XmcTextFormat"/> (labels first unless
/// the line starts with a space or tab; optional <c>id:weight</c> labels; rows sorted by id; repeated ids,
/// bad tokens and non-finite values rejected with <see cref="XmrDataException"/> naming file, line and
/// field). Specific to this format:</para>
/// <list type="bullet">
/// <item>Every line is a row, including an empty line (a row with no labels and no features); only the
/// final line break does not start a row.</item>
/// <item>SVMlight comments are skipped: text from '#' to the end of the line is ignored, and a line whose
/// first non-blank character is '#' is not a row.</item>
/// <item>Rejected: ids at or above a given <c>featureCount</c> / <c>labelCount</c>; feature ids below the
/// index base; signed or fractional labels (binary and regression LIBSVM files are not multi-label data);
/// <c>qid:</c> tokens.</item>
/// </list>
/// </remarks>
public static partial class LibSvmFormat
{
    /// <summary>Reads a multi-label LIBSVM file.</summary>
    /// <param name="path">The file to read.</param>
    /// <param name="featureCount">Number of feature columns, or <c>null</c> to use the largest feature id + 1.</param>
    /// <param name="labelCount">Number of label columns, or <c>null</c> to use the largest label id + 1.</param>
    /// <param name="featureIndexBase">The id of the first feature in the file: 0 or 1.</param>
    /// <exception cref="XmrDataException">The content is malformed or exceeds a given count.</exception>
    public static XmcDataset Read(string path, int? featureCount = null, int? labelCount = null, int featureIndexBase = 0) =>
        Read(path, featureCount, labelCount, featureIndexBase, threads: 0);

    /// <summary>Reads multi-label LIBSVM text from a stream; <paramref name="sourceName"/> names it in errors.</summary>
    /// <param name="stream">The UTF-8 text, read to its end.</param>
    /// <param name="sourceName">The name used as the file in error messages.</param>
    /// <param name="featureCount">Number of feature columns, or <c>null</c> to infer it.</param>
    /// <param name="labelCount">Number of label columns, or <c>null</c> to infer it.</param>
    /// <param name="featureIndexBase">The id of the first feature in the file: 0 or 1.</param>
    /// <exception cref="XmrDataException">The content is malformed or exceeds a given count.</exception>
    public static XmcDataset Read(Stream stream, string sourceName, int? featureCount = null, int? labelCount = null, int featureIndexBase = 0)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(sourceName);
        CheckBase(featureIndexBase);
        if (featureCount < 0) throw new ArgumentOutOfRangeException(nameof(featureCount), featureCount, "Must be non-negative.");
        if (labelCount < 0) throw new ArgumentOutOfRangeException(nameof(labelCount), labelCount, "Must be non-negative.");
        var limits = Limits(featureCount, labelCount, featureIndexBase);
        long byteLength = stream.CanSeek ? stream.Length : 0;
        var features = new CsrAccumulator(1024, (int)Math.Clamp(byteLength / 6, 16, 1 << 26));
        var labels = new CsrAccumulator(1024, 1024);
        var reader = new Utf8LineReader(stream, sourceName);
        try
        {
            while (reader.TryReadLine(out var line))
            {
                int hash = line.IndexOf((byte)'#');
                if (hash >= 0)
                {
                    if (SparseTextParser.IsBlankLine(line[..hash])) continue;
                    line = line[..hash];
                }
                if (labels.Rows == Array.MaxLength - 1)
                    throw new XmrDataException(sourceName, reader.LineNumber, null, "row count", $"more than {Array.MaxLength - 1} rows.");
                SparseTextParser.ParseRow(line, labels, features, limits, sourceName, reader.LineNumber);
            }
        }
        catch (InvalidDataException e)
        {
            // A decompressing stream (for example GZipStream) raises InvalidDataException for corrupt input.
            throw new XmrDataException(sourceName, reader.LineNumber + 1, null, null, e.Message, e);
        }
        return new XmcDataset(
            features.Build(featureCount ?? features.MaxIndex + 1),
            labels.Build(labelCount ?? labels.MaxIndex + 1));
    }

    /// <summary>Writes features and labels as multi-label LIBSVM text, atomically.</summary>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="features">N x F feature matrix.</param>
    /// <param name="labels">N x L label matrix.</param>
    /// <param name="featureIndexBase">The id written for feature column 0: 0 or 1.</param>
    /// <exception cref="ArgumentException">The matrices have different row counts.</exception>
    public static void Write(string path, CsrMatrix features, CsrMatrix labels, int featureIndexBase = 0)
    {
        XmcDataset.CheckRows(features, labels);
        CheckBase(featureIndexBase);
        AtomicFile.Write(path, stream => Write(stream, features, labels, featureIndexBase));
    }

    /// <summary>Writes features and labels as multi-label LIBSVM text to a stream (left open).</summary>
    /// <param name="stream">Destination.</param>
    /// <param name="features">N x F feature matrix.</param>
    /// <param name="labels">N x L label matrix.</param>
    /// <param name="featureIndexBase">The id written for feature column 0: 0 or 1.</param>
    public static void Write(Stream stream, CsrMatrix features, CsrMatrix labels, int featureIndexBase = 0)
    {
        ArgumentNullException.ThrowIfNull(stream);
        XmcDataset.CheckRows(features, labels);
        CheckBase(featureIndexBase);
        var writer = new SparseTextWriter(stream);
        for (int r = 0; r < features.Rows; r++) writer.WriteRow(features, labels, r, featureIndexBase);
        writer.Flush();
    }

    /// <summary>The id bounds for a read: the given counts, or the id limit when a count is inferred.</summary>
    private static RowLimits Limits(int? featureCount, int? labelCount, int featureIndexBase) => new(
        labelCount ?? SparseTextParser.MaxId + 1,
        featureCount ?? SparseTextParser.MaxId + 1 - featureIndexBase,
        labelCount is null ? "the id limit" : $"labelCount = {labelCount}",
        featureCount is null ? "the id limit" : $"featureCount = {featureCount}",
        featureIndexBase);

    private static void CheckBase(int featureIndexBase)
    {
        if (featureIndexBase is not (0 or 1))
            throw new ArgumentOutOfRangeException(nameof(featureIndexBase), featureIndexBase, "The feature index base must be 0 or 1.");
    }
}
