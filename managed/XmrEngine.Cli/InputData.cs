using XmrEngine.IO;
using XmrEngine.Serving;
using XmrEngine.Sparse;

namespace XmrEngine.Cli;

/// <summary>
/// Loads inputs for the XR-Linear verbs: an .npz feature matrix, a dense .npy one, an XMC repository .txt / .svm data
/// set, or an .xmrd binary file (features, and labels when it was written with them), or several of these side by side.
/// One rule for every format: rows are L2-normalised unless the caller opts out (PECOS expects normalised
/// TF-IDF rows), so converting a data set to .npz does not change the model trained on it.
/// </summary>
internal static class InputData
{
    /// <summary>
    /// Features (normalised when <paramref name="normalize"/>) and, when the file carries them, labels. Several files
    /// joined by commas (<c>dense.npy,tfidf.npz</c>) are read side by side: row i is the concatenation of every file's
    /// row i (PECOS's tutorial stacks dense embeddings beside TF-IDF this way), then normalised as one row.
    /// </summary>
    public static (CsrMatrix X, CsrMatrix? Y) Load(string path, bool normalize)
    {
        var (x, y) = File.Exists(path) || !path.Contains(',') ? SparseFileFormat.ReadContent(path) : SideBySide(path);
        return (normalize ? x.NormalizeRows(RowNorm.L2) : x, y);
    }

    private static SparseFileContent SideBySide(string paths)
    {
        var parts = paths.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Any(p => p.Length == 0)) throw new ArgumentException($"-x {paths}: an empty file name between commas.");
        var contents = parts.Select(p => SparseFileFormat.ReadContent(p)).ToArray();
        for (int i = 1; i < parts.Length; i++)
            if (contents[i].Features.Rows != contents[0].Features.Rows)
                throw new XmrDataException(parts[i], null, null, "rows",
                    $"has {contents[i].Features.Rows:N0} rows but {parts[0]} has {contents[0].Features.Rows:N0}; files read side by side need one row per instance each.");
        var labelled = contents.Where(c => c.Labels is not null).ToArray();
        if (labelled.Length > 1) throw new ArgumentException($"-x {paths}: more than one of the files carries labels; give the labels once (or with -y).");
        return new SparseFileContent(SparseOps.HStack(contents.Select(c => c.Features).ToArray()), labelled.FirstOrDefault()?.Labels);
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
