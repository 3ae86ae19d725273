using XmrEngine.IO;
using XmrEngine.Serving;
using XmrEngine.Sparse;

namespace XmrEngine.Cli;

/// <summary>
/// Loads inputs for the XR-Linear verbs: an .npz feature matrix, an XMC repository .txt / .svm data set, or
/// an .xmrd binary file (features, and labels when it was written with them).
/// One rule for every format: rows are L2-normalised unless the caller opts out (PECOS expects normalised
/// TF-IDF rows), so converting a data set to .npz does not change the model trained on it.
/// </summary>
internal static class InputData
{
    /// <summary>Features (normalised when <paramref name="normalize"/>) and, when the file carries them, labels.</summary>
    public static (CsrMatrix X, CsrMatrix? Y) Load(string path, bool normalize)
    {
        var (x, y) = SparseFileFormat.ReadContent(path);
        return (normalize ? x.NormalizeRows(RowNorm.L2) : x, y);
    }

    /// <summary>
    /// The raw rows of <paramref name="queryPath"/> prepared as <paramref name="model"/> prepares its queries
    /// (normalised unless <paramref name="normalize"/> is false); a mismatch names both files.
    /// </summary>
    public static CsrMatrix PrepareFor(XLinearServingModel model, CsrMatrix raw, bool normalize, string queryPath, string modelPath)
    {
        try
        {
            return model.Input.Prepare(raw, normalize);
        }
        catch (InvalidQueryException e)
        {
            throw new XmrDataException(queryPath, null, null, e.Field, $"{e.Problem} (model {modelPath})", e);
        }
    }

    /// <summary>The scale warning of <see cref="XLinearInput.ScaleWarning"/> for the rows of <paramref name="queryPath"/>, with the CLI's hint.</summary>
    public static string? ScaleWarning(XLinearServingModel model, CsrMatrix prepared, bool normalize, string queryPath) =>
        model.Input.ScaleWarning(prepared, normalize) is { } warning
            ? $"{queryPath}: {warning}{(model.Input.NormalizeRows && !normalize ? " (drop --no-normalize)" : "")}"
            : null;

    /// <summary>A label matrix from an .npz, or the labels of a .txt/.svm/.xmrd data set.</summary>
    public static CsrMatrix LoadLabels(string path) =>
        SparseFileFormat.Detect(path) == SparseFileKind.Npz ? NpzFormat.ReadCsr(path) : SparseFileFormat.ReadDataset(path).Labels;

    /// <summary>Median L2 norm of the non-empty rows (<see cref="XLinearInput.MedianRowNorm"/>), recorded with a model at training.</summary>
    public static double MedianRowNorm(CsrMatrix x) => XLinearInput.MedianRowNorm(x);
}
