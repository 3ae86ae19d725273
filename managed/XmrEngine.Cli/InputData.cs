using XmrEngine.IO;
using XmrEngine.Sparse;

namespace XmrEngine.Cli;

/// <summary>
/// Loads inputs for the XR-Linear verbs: an .npz feature matrix as stored, or an XMC repository
/// .txt / .svm data set whose rows are L2-normalised unless the caller opts out (PECOS expects
/// normalised TF-IDF rows).
/// </summary>
internal static class InputData
{
    /// <summary>Features and, when the file carries them, labels.</summary>
    public static (CsrMatrix X, CsrMatrix? Y) Load(string path, bool normalize)
    {
        if (SparseFileFormat.Detect(path) == SparseFileKind.Npz) return (NpzFormat.ReadCsr(path), null);
        var data = SparseFileFormat.ReadDataset(path);
        return (normalize ? data.Features.NormalizeRows(RowNorm.L2) : data.Features, data.Labels);
    }

    /// <summary>A label matrix from an .npz, or the labels of a .txt/.svm data set.</summary>
    public static CsrMatrix LoadLabels(string path) =>
        SparseFileFormat.Detect(path) == SparseFileKind.Npz ? NpzFormat.ReadCsr(path) : SparseFileFormat.ReadDataset(path).Labels;
}
