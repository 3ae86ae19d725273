using System.Globalization;
using XmrEngine.IO;
using XmrEngine.Persistence;
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

    /// <summary>Refuses queries with more feature columns than the model was trained on, naming both files.</summary>
    public static void CheckFeatureCount(CsrMatrix features, string queryPath, int modelFeatures, string modelPath)
    {
        if (features.Cols > modelFeatures)
            throw new XmrDataException(queryPath, null, null, "features", $"has {features.Cols:N0} feature columns but the model {modelPath} has {modelFeatures:N0} features; was it made with the same feature space?");
    }

    /// <summary>A label matrix from an .npz, or the labels of a .txt/.svm/.xmrd data set.</summary>
    public static CsrMatrix LoadLabels(string path) =>
        SparseFileFormat.Detect(path) == SparseFileKind.Npz ? NpzFormat.ReadCsr(path) : SparseFileFormat.ReadDataset(path).Labels;

    /// <summary>
    /// Median L2 norm of the non-empty rows (of at most <paramref name="sample"/> rows spread evenly over
    /// the matrix); 0 when every row is empty. Stored with a model so that prediction can notice queries
    /// scaled differently from the training rows.
    /// </summary>
    public static double MedianRowNorm(CsrMatrix x, int sample = 10_000)
    {
        if (x.Rows == 0) return 0;
        int step = Math.Max(1, x.Rows / sample);
        var norms = new List<double>();
        for (int r = 0; r < x.Rows; r += step)
        {
            double sum = 0;
            foreach (float v in x.Row(r).Values) sum += (double)v * v;
            if (sum > 0) norms.Add(Math.Sqrt(sum));
        }
        if (norms.Count == 0) return 0;
        norms.Sort();
        return norms[norms.Count / 2];
    }

    /// <summary>
    /// A warning when the queries' median row norm (as they will be scored) differs from the training rows'
    /// by more than a factor of 2, or null. Only models that stored their training norm can be checked.
    /// </summary>
    public static string? ScaleWarning(ModelMetadata model, double queryNorm, bool normalized, string queryPath)
    {
        if (model.TrainingRowNorm is not { } trained || trained <= 0 || queryNorm <= 0) return null;
        double ratio = queryNorm / trained;
        if (ratio is >= 0.5 and <= 2) return null;
        string hint = model.NormalizeByDefault && !normalized
            ? "the model was trained on L2-normalised rows; drop --no-normalize"
            : "the model was trained on rows that were not normalised; the queries need the same preparation";
        return string.Create(CultureInfo.InvariantCulture,
            $"{queryPath}: rows have median L2 norm {queryNorm:G4} but the model's training rows had {trained:G4} ({hint}); predictions may be poor.");
    }
}
