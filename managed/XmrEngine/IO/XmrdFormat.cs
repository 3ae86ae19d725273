using XmrEngine.Sparse;

namespace XmrEngine.IO;

/// <summary>
/// XmrEngine's binary data set file (<c>.xmrd</c>): a feature matrix X and optionally a label matrix Y in
/// CSR form (i64 row pointers, i32 column indices, f32 values), each array on a 64-byte boundary, behind a
/// versioned header with the shapes and entry counts, a section table with a CRC32 per array and an
/// XxHash64 of the whole file (the layout is documented on <c>XmrdLayout</c>). Opening one is a bulk read
/// of the arrays with no text parsing, which is what makes it the format for large inputs.
/// </summary>
/// <remarks>
/// <para>Reading rejects, with an <see cref="XmrDataException"/> naming the file and the section: a bad
/// magic or unsupported version; a header, table or section whose checksum does not match; a file shorter
/// or longer than its header records; a section table that does not match the header's shape; and arrays
/// that do not form a valid CSR matrix (pointers not starting at 0, decreasing or not ending at the entry
/// count; a column out of range or not strictly increasing within its row; a NaN or infinite value).</para>
/// <para>Values are stored as given: the commands L2-normalise rows after loading, as for every format.
/// Writing is atomic (<see cref="AtomicFile"/>).</para>
/// </remarks>
public static class XmrdFormat
{
    /// <summary>The format version this build writes and reads.</summary>
    public const int FormatVersion = (int)XmrdLayout.FormatVersion;

    /// <summary>Writes X and, when given, Y to <paramref name="path"/> atomically.</summary>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="features">Feature matrix X.</param>
    /// <param name="labels">Label matrix Y with the same rows as X, or <c>null</c>.</param>
    /// <exception cref="ArgumentException">The matrices have different row counts.</exception>
    public static void Write(string path, CsrMatrix features, CsrMatrix? labels = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(features);
        if (labels is not null) XmcDataset.CheckRows(features, labels);
        XmrdWriter.Write(path, features, labels);
    }

    /// <summary>Reads an <c>.xmrd</c> file.</summary>
    /// <param name="path">The file to read.</param>
    /// <param name="verifyChecksums">Check the whole-file XxHash64, and when it fails each section's CRC32 to name the
    /// damaged section (on by default). The
    /// structure is validated either way, so skipping them can let flipped bits through as wrong values but
    /// never as an out-of-range read.</param>
    /// <exception cref="XmrDataException">The file is truncated, corrupt or structurally invalid (see the remarks).</exception>
    public static SparseFileContent Read(string path, bool verifyChecksums = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException(".xmrd files are little-endian; big-endian hosts are not supported.");
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);
        return new XmrdReader(handle, path).Read(verifyChecksums);
    }

    /// <summary>Reads an <c>.xmrd</c> file that must hold labels, as a data set.</summary>
    /// <param name="path">The file to read.</param>
    /// <exception cref="XmrDataException">The file is malformed or holds no label matrix.</exception>
    public static XmcDataset ReadDataset(string path)
    {
        var data = Read(path);
        return new XmcDataset(data.Features, data.Labels
            ?? throw new XmrDataException(path, null, null, "labels", "the file holds features only; this needs a data set with labels."));
    }
}
