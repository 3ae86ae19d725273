using XmrEngine.Sparse;

namespace XmrEngine.IO;

/// <summary>The sparse data file formats the engine reads and writes.</summary>
public enum SparseFileKind
{
    /// <summary>Extreme Classification Repository text (<c>.txt</c>): header <c>N F L</c>, then <c>l1,l2 f:v ...</c>; see <see cref="XmcTextFormat"/>.</summary>
    XmcText,

    /// <summary>Multi-label LIBSVM / SVMlight text (<c>.svm</c>, <c>.libsvm</c>); see <see cref="LibSvmFormat"/>.</summary>
    LibSvm,

    /// <summary>SciPy sparse matrix archive (<c>.npz</c>), one matrix per file; see <see cref="NpzFormat"/>.</summary>
    Npz,

    /// <summary>XmrEngine's binary data set (<c>.xmrd</c>): features and optionally labels, read without parsing; see <see cref="XmrdFormat"/>.</summary>
    Xmrd,

    /// <summary>A dense NumPy array (<c>.npy</c>, rows x features), read as sparse rows; features only; see <see cref="NpyFormat.ReadCsr"/>.</summary>
    Npy,
}

/// <summary>
/// Chooses a format from a file name and reads or writes data sets in it. Text formats hold features and
/// labels in one file; NPZ holds one matrix per file, so a data set needs a second path for the labels.
/// </summary>
public static class SparseFileFormat
{
    /// <summary>The format implied by the extension (case-insensitive): .txt, .svm / .libsvm, .npz, .xmrd, .npy.</summary>
    /// <param name="path">A file name or path.</param>
    /// <exception cref="XmrDataException">The extension is not one of the supported ones.</exception>
    public static SparseFileKind Detect(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string ext = Path.GetExtension(path).ToLowerInvariant();
        return ext switch
        {
            ".txt" => SparseFileKind.XmcText,
            ".svm" or ".libsvm" => SparseFileKind.LibSvm,
            ".npz" => SparseFileKind.Npz,
            ".xmrd" => SparseFileKind.Xmrd,
            ".npy" => SparseFileKind.Npy,
            _ => throw new XmrDataException(path, null, null, "extension",
                $"'{ext}' is not a known data format (.txt = XMC text, .svm/.libsvm = LIBSVM, .npz = SciPy sparse, .xmrd = XmrEngine binary, .npy = NumPy dense)."),
        };
    }

    /// <summary>
    /// Reads a data set. For text formats <paramref name="path"/> holds both matrices and
    /// <paramref name="labelsPath"/> must be <c>null</c>; for NPZ <paramref name="path"/> is the feature
    /// matrix and <paramref name="labelsPath"/> the label matrix, also an .npz file. An .xmrd file must hold
    /// both matrices and takes no labels path.
    /// </summary>
    /// <param name="path">The features file (or the single text file).</param>
    /// <param name="labelsPath">The labels file for NPZ data sets.</param>
    /// <exception cref="XmrDataException">A file is malformed, or the two NPZ matrices have different row counts.</exception>
    /// <exception cref="ArgumentException">The combination of paths does not fit the format.</exception>
    public static XmcDataset ReadDataset(string path, string? labelsPath = null)
    {
        var kind = Detect(path);
        switch (kind)
        {
            case SparseFileKind.Npz or SparseFileKind.Npy:
            {
                if (labelsPath is null) throw new ArgumentException($"An {(kind == SparseFileKind.Npy ? "NPY" : "NPZ")} data set needs a second .npz file for the labels.", nameof(labelsPath));
                if (Detect(labelsPath) != SparseFileKind.Npz) throw new ArgumentException("The labels file of an NPZ or NPY data set must be .npz.", nameof(labelsPath));
                var x = kind == SparseFileKind.Npy ? NpyFormat.ReadCsr(path) : NpzFormat.ReadCsr(path);
                var y = NpzFormat.ReadCsr(labelsPath);
                if (x.Rows != y.Rows)
                    throw new XmrDataException(labelsPath, null, "shape.npy", "rows", $"the labels have {y.Rows} rows but the features in '{path}' have {x.Rows}.");
                return new XmcDataset(x, y);
            }
            default:
                if (labelsPath is not null) throw new ArgumentException($"A {kind} file holds features and labels together; do not pass a labels path.", nameof(labelsPath));
                return kind switch
                {
                    SparseFileKind.XmcText => XmcTextFormat.Read(path),
                    SparseFileKind.Xmrd => XmrdFormat.ReadDataset(path),
                    _ => LibSvmFormat.Read(path),
                };
        }
    }

    /// <summary>
    /// Writes a data set in the format implied by <paramref name="path"/> (see <see cref="ReadDataset"/> for
    /// the meaning of the two paths). Each file is written atomically.
    /// </summary>
    /// <param name="data">Features and labels.</param>
    /// <param name="path">The features file (or the single text file).</param>
    /// <param name="labelsPath">The labels file for NPZ data sets.</param>
    public static void WriteDataset(XmcDataset data, string path, string? labelsPath = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        var kind = Detect(path);
        switch (kind)
        {
            case SparseFileKind.Npy:
                throw new ArgumentException($"{path}: dense .npy files are read, not written; write the features as .npz.", nameof(path));
            case SparseFileKind.Npz:
                if (labelsPath is null) throw new ArgumentException("An NPZ data set needs a second .npz file for the labels.", nameof(labelsPath));
                if (Detect(labelsPath) != SparseFileKind.Npz) throw new ArgumentException("The labels file of an NPZ data set must be .npz too.", nameof(labelsPath));
                XmcDataset.CheckRows(data.Features, data.Labels);
                NpzFormat.Write(path, data.Features);
                NpzFormat.Write(labelsPath, data.Labels);
                break;
            case SparseFileKind.XmcText:
                if (labelsPath is not null) throw new ArgumentException("An XMC text file holds features and labels together; do not pass a labels path.", nameof(labelsPath));
                XmcTextFormat.Write(path, data);
                break;
            case SparseFileKind.Xmrd:
                if (labelsPath is not null) throw new ArgumentException("An .xmrd file holds features and labels together; do not pass a labels path.", nameof(labelsPath));
                XmrdFormat.Write(path, data.Features, data.Labels);
                break;
            default:
                if (labelsPath is not null) throw new ArgumentException("A LIBSVM file holds features and labels together; do not pass a labels path.", nameof(labelsPath));
                LibSvmFormat.Write(path, data.Features, data.Labels);
                break;
        }
    }

    /// <summary>
    /// Reads one sparse matrix: an .npz file, or the feature matrix of a text or .xmrd file (its labels are dropped).
    /// </summary>
    /// <param name="path">The file.</param>
    /// <exception cref="XmrDataException">The file is malformed or has an unknown extension.</exception>
    public static CsrMatrix ReadMatrix(string path) => ReadContent(path).Features;

    /// <summary>
    /// Reads whatever one file holds: the single matrix of an .npz (as features, no labels), both matrices of
    /// a text file, and the features and (when written with them) labels of an .xmrd file.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="threads">Workers for parsing a large text file (0 = one per processor); results do not depend on it.</param>
    /// <exception cref="XmrDataException">The file is malformed or has an unknown extension.</exception>
    public static SparseFileContent ReadContent(string path, int threads = 0)
    {
        return Detect(path) switch
        {
            SparseFileKind.Npz => new SparseFileContent(NpzFormat.ReadCsr(path), null),
            SparseFileKind.Npy => new SparseFileContent(NpyFormat.ReadCsr(path), null),
            SparseFileKind.Xmrd => XmrdFormat.Read(path),
            SparseFileKind.XmcText => Pair(XmcTextFormat.Read(path, threads)),
            _ => Pair(LibSvmFormat.Read(path, null, null, 0, threads)),
        };
    }

    private static SparseFileContent Pair(XmcDataset data) => new(data.Features, data.Labels);
}
