using XmrEngine.Sparse;
using XmrEngine.Common;

namespace XmrEngine.IO;

/// <summary>
/// The Extreme Classification Repository text format: a header line <c>N F L</c> (rows, features,
/// labels), then one line per row, <c>l1,l2 f:v f:v ...</c>, with 0-based ids. A row without labels
/// starts with a space; a row with neither labels nor features is an empty line.
/// </summary>
/// <remarks>
/// <para>Reading streams the file through a byte buffer and parses spans directly (no string per line
/// or token). What the reader fixes and what it rejects (<see cref="XmrDataException"/>, naming the
/// file, 1-based line and field):</para>
/// <list type="bullet">
/// <item>Fixed: ids out of order within a row are sorted; a trailing '\r' (Windows line ends), a UTF-8
/// byte-order mark, extra spaces or tabs between tokens, and blank lines after the last row are accepted.</item>
/// <item>Extension: a label may carry a weight, <c>id:weight</c> (weight 1 when absent); the writer uses it
/// only for weights other than 1, so binary label matrices produce the standard format.</item>
/// <item>Rejected: an empty file or a header that is not three non-negative integers; fewer rows than the
/// header's N, or a non-blank line after row N; a feature id &gt;= F or a label id &gt;= L; tokens that are not
/// <c>id</c> / <c>id:value</c>; negative or non-integer ids; values that are NaN, infinite or outside the
/// float range; an id repeated within one row (ambiguous: sum or replace?).</item>
/// </list>
/// <para>Writing is atomic: the text goes to a temporary file in the same directory which then replaces
/// the target.</para>
/// </remarks>
public static partial class XmcTextFormat
{
    /// <summary>Reads a file in XMC text format, in parallel on every core when it is large (see <see cref="Read(string, int)"/>).</summary>
    /// <param name="path">The file to read.</param>
    /// <returns>Features (N x F) and labels (N x L).</returns>
    /// <exception cref="XmrDataException">The content is malformed (see the remarks on the class).</exception>
    public static XmcDataset Read(string path) => Read(path, threads: 0);

    /// <summary>Reads XMC text from a stream; <paramref name="sourceName"/> names it in error messages.</summary>
    /// <param name="stream">The UTF-8 text, read to its end.</param>
    /// <param name="sourceName">The name used as the file in error messages.</param>
    /// <exception cref="XmrDataException">The content is malformed.</exception>
    public static XmcDataset Read(Stream stream, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(sourceName);
        try
        {
            return ReadCore(stream, sourceName);
        }
        catch (InvalidDataException e)
        {
            // A decompressing stream (for example GZipStream) raises InvalidDataException for corrupt input.
            throw new XmrDataException(sourceName, null, null, null, e.Message, e);
        }
    }

    private static XmcDataset ReadCore(Stream stream, string path)
    {
        var reader = new Utf8LineReader(stream, path);
        if (!reader.TryReadLine(out var headerLine))
            throw new XmrDataException(path, 1, null, "header", "the file is empty; expected the header 'N F L'.");
        var (n, f, l) = ParseHeader(headerLine, path);
        long byteLength = stream.CanSeek ? stream.Length : 0;
        // Rough guesses only to limit regrowth: about 6 bytes per "id:v " token.
        // Capacity guesses only: every row needs a line, so a header cannot make us pre-allocate more rows
        // than the file has bytes; about 6 bytes per "id:v " token.
        int rowGuess = (int)Math.Min(n, byteLength > 0 ? byteLength : 1 << 16);
        var features = new CsrAccumulator(rowGuess, (int)Math.Clamp(byteLength / 6, 16, 1 << 26));
        var labels = new CsrAccumulator(rowGuess, (int)Math.Clamp(rowGuess * 4L, 16, 1 << 24));
        var limits = new RowLimits(l, f, $"the header's L = {l}", $"the header's F = {f}", 0);
        for (int row = 0; row < n; row++)
        {
            if (!reader.TryReadLine(out var line))
                throw new XmrDataException(path, reader.LineNumber + 1, null, "row count",
                    $"the header says {n} rows but the file ends after {row}.");
            SparseTextParser.ParseRow(line, labels, features, limits, path, reader.LineNumber);
        }
        while (reader.TryReadLine(out var extra))
        {
            if (!SparseTextParser.IsBlankLine(extra))
                throw new XmrDataException(path, reader.LineNumber, null, "row count",
                    $"the header says {n} rows but there is more data after them.");
        }
        return new XmcDataset(features.Build(f), labels.Build(l));
    }

    private static (int N, int F, int L) ParseHeader(ReadOnlySpan<byte> line, string path)
    {
        Span<int> values = stackalloc int[3];
        int count = 0, pos = 0;
        while (true)
        {
            while (pos < line.Length && SparseTextParser.IsBlank(line[pos])) pos++;
            if (pos == line.Length) break;
            int start = pos;
            while (pos < line.Length && !SparseTextParser.IsBlank(line[pos])) pos++;
            if (count == 3 || !TryParseCount(line[start..pos], out values[count]))
                throw BadHeader(line, path);
            count++;
        }
        if (count != 3) throw BadHeader(line, path);
        return (values[0], values[1], values[2]);
    }

    private static bool TryParseCount(ReadOnlySpan<byte> text, out int value)
    {
        value = 0;
        if (text.Length is 0 or > 10) return false;
        long v = 0;
        foreach (byte b in text)
        {
            uint d = (uint)(b - '0');
            if (d > 9) return false;
            v = v * 10 + d;
        }
        if (v > Array.MaxLength) return false;
        value = (int)v;
        return true;
    }

    private static XmrDataException BadHeader(ReadOnlySpan<byte> line, string path)
    {
        string text = System.Text.Encoding.UTF8.GetString(line.Length > 60 ? line[..60] : line);
        return new XmrDataException(path, 1, null, "header",
            $"expected three non-negative integers 'N F L' (rows, features, labels, each at most {Array.MaxLength}) but found '{text}'.");
    }

    /// <summary>Writes features and labels in XMC text format, atomically.</summary>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="features">N x F feature matrix.</param>
    /// <param name="labels">N x L label matrix.</param>
    /// <exception cref="ArgumentException">The matrices have different row counts.</exception>
    public static void Write(string path, CsrMatrix features, CsrMatrix labels)
    {
        XmcDataset.CheckRows(features, labels);
        AtomicFile.Write(path, stream => Write(stream, features, labels));
    }

    /// <summary>Writes a data set in XMC text format, atomically.</summary>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="data">The features and labels.</param>
    public static void Write(string path, XmcDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        Write(path, data.Features, data.Labels);
    }

    /// <summary>Writes features and labels in XMC text format to a stream (left open).</summary>
    /// <param name="stream">Destination.</param>
    /// <param name="features">N x F feature matrix.</param>
    /// <param name="labels">N x L label matrix.</param>
    public static void Write(Stream stream, CsrMatrix features, CsrMatrix labels)
    {
        ArgumentNullException.ThrowIfNull(stream);
        XmcDataset.CheckRows(features, labels);
        var writer = new SparseTextWriter(stream);
        writer.WriteHeader(features.Rows, features.Cols, labels.Cols);
        for (int r = 0; r < features.Rows; r++) writer.WriteRow(features, labels, r, 0);
        writer.Flush();
    }
}
