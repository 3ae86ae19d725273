using System.Globalization;
using XmrEngine.Persistence;
using XmrEngine.Sparse;

namespace XmrEngine.Serving;

/// <summary>
/// How an XR-Linear model's raw queries become the rows it scores, as the model file records it: the feature
/// count, whether rows are L2-normalised (as the training rows were), and the training rows' median norm. Every
/// front end prepares queries through this one object, so a raw row gets the same answer everywhere.
/// Immutable and thread-safe.
/// </summary>
public sealed class XLinearInput
{
    /// <summary>The rule for a model of <paramref name="featureCount"/> features saved with <paramref name="metadata"/>.</summary>
    public XLinearInput(int featureCount, ModelMetadata metadata)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(featureCount);
        ArgumentNullException.ThrowIfNull(metadata);
        FeatureCount = featureCount;
        NormalizeRows = metadata.NormalizeByDefault;
        TrainingRowNorm = metadata.TrainingRowNorm;
    }

    /// <summary>Feature ids run from 0 to this count (exclusive).</summary>
    public int FeatureCount { get; }

    /// <summary>True when queries are L2-normalised before scoring (the model was trained on normalised rows; the default).</summary>
    public bool NormalizeRows { get; }

    /// <summary>The training rows' median L2 norm as the model file recorded it, or null for files that did not.</summary>
    public double? TrainingRowNorm { get; }

    /// <summary>
    /// Checks one raw query and returns it prepared: ids sorted (any order is accepted) with their values, each id
    /// in range and given once, values finite, then normalised when the model's rule says so.
    /// </summary>
    /// <param name="indices">Feature ids, in any order.</param>
    /// <param name="values">One value per id.</param>
    /// <param name="normalize">Override of <see cref="NormalizeRows"/>; null for the model's rule.</param>
    /// <exception cref="InvalidQueryException">The query is malformed; names the index at fault.</exception>
    public (int[] Indices, float[] Values) PrepareRow(ReadOnlySpan<int> indices, ReadOnlySpan<float> values, bool? normalize = null)
    {
        if (indices.Length != values.Length)
            throw new InvalidQueryException("values", $"holds {values.Length} values for {indices.Length} indices.");
        for (int i = 0; i < indices.Length; i++)
        {
            if ((uint)indices[i] >= (uint)FeatureCount)
                throw new InvalidQueryException($"indices[{i}]", $"{indices[i]} is outside [0, {FeatureCount}), the model's features.");
            if (!float.IsFinite(values[i]))
                throw new InvalidQueryException($"values[{i}]", $"{values[i].ToString(CultureInfo.InvariantCulture)} is not a finite number.");
        }
        int[] ids = indices.ToArray();
        float[] vals = values.ToArray();
        if (!IsIncreasing(ids)) Array.Sort(ids, vals);
        for (int i = 1; i < ids.Length; i++)
            if (ids[i] == ids[i - 1]) throw new InvalidQueryException("indices", $"feature {ids[i]} appears more than once.");
        if (normalize ?? NormalizeRows) SparseOps.NormalizeInPlace(vals, RowNorm.L2);
        return (ids, vals);
    }

    /// <summary>
    /// Checks a raw query matrix (a CSR matrix is already well formed: ids sorted, unique, values finite) against
    /// the feature count and returns it prepared: normalised when the model's rule says so, else as given.
    /// </summary>
    /// <param name="queries">The raw rows.</param>
    /// <param name="normalize">Override of <see cref="NormalizeRows"/>; null for the model's rule.</param>
    /// <exception cref="InvalidQueryException">The matrix has more columns than the model has features.</exception>
    public CsrMatrix Prepare(CsrMatrix queries, bool? normalize = null)
    {
        ArgumentNullException.ThrowIfNull(queries);
        if (queries.Cols > FeatureCount)
            throw new InvalidQueryException("features", $"the queries have {queries.Cols:N0} feature columns but the model has {FeatureCount:N0} features; were they made with the same feature space?");
        return normalize ?? NormalizeRows ? queries.NormalizeRows(RowNorm.L2) : queries;
    }

    /// <summary>
    /// A warning when prepared queries' median row norm differs from the training rows' by more than a factor of 2
    /// (the queries were prepared differently from the training rows), or null. Only models that recorded their
    /// training norm can be checked.
    /// </summary>
    /// <param name="prepared">The queries as they will be scored.</param>
    /// <param name="normalized">Whether they were normalised (for the hint).</param>
    public string? ScaleWarning(CsrMatrix prepared, bool normalized)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        double queryNorm = MedianRowNorm(prepared);
        if (TrainingRowNorm is not { } trained || trained <= 0 || queryNorm <= 0) return null;
        double ratio = queryNorm / trained;
        if (ratio is >= 0.5 and <= 2) return null;
        string hint = NormalizeRows && !normalized
            ? "the model was trained on L2-normalised rows; let the model normalise them"
            : "the model was trained on rows that were not normalised; the queries need the same preparation";
        return string.Create(CultureInfo.InvariantCulture,
            $"rows have median L2 norm {queryNorm:G4} but the model's training rows had {trained:G4} ({hint}); predictions may be poor.");
    }

    /// <summary>
    /// Median L2 norm of the non-empty rows (of at most <paramref name="sample"/> rows spread evenly over the
    /// matrix); 0 when every row is empty. Recorded with a model at training so prediction can notice queries
    /// scaled differently.
    /// </summary>
    public static double MedianRowNorm(CsrMatrix x, int sample = 10_000)
    {
        ArgumentNullException.ThrowIfNull(x);
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

    private static bool IsIncreasing(int[] ids)
    {
        for (int i = 1; i < ids.Length; i++)
            if (ids[i] <= ids[i - 1]) return false;
        return true;
    }
}
