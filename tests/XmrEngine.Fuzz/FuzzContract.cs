using XmrEngine.Inference;
using XmrEngine.IO;
using XmrEngine.Models;
using XmrEngine.Sparse;

namespace XmrEngine.Fuzz;

/// <summary>
/// The contract every reader is held to: for any input it returns an object that passes the structure validation
/// (and can be used), or throws <see cref="XmrDataException"/> naming the file. Anything else escaping
/// <see cref="Expect"/> is a finding: the fuzzer records it as a crash.
/// </summary>
internal static class FuzzContract
{
    /// <summary>Runs <paramref name="read"/>; the documented data exception is a valid answer, every other exception escapes.</summary>
    public static void Expect(Action read)
    {
        try
        {
            read();
        }
        catch (XmrDataException e) when (e.FilePath.Length > 0)
        {
            // The documented answer to a bad file: it names the file (and line, member or field where they apply).
        }
    }

    /// <summary>A returned matrix must be valid: rebuilding it with the constructor's validation must not throw.</summary>
    public static void Check(CsrMatrix m) =>
        _ = new CsrMatrix(m.Rows, m.Cols, m.Pointers.ToArray(), m.Indices.ToArray(), m.Values.ToArray());

    /// <summary>A returned CSC matrix must be valid, checked the same way.</summary>
    public static void Check(CscMatrix m) =>
        _ = new CscMatrix(m.Rows, m.Cols, m.Pointers.ToArray(), m.Indices.ToArray(), m.Values.ToArray());

    /// <summary>A loaded model must serve: a predictor builds on it and answers a one-feature query.</summary>
    public static void Use(XLinearModel model, PredictOptions? options = null)
    {
        using var predictor = new XLinearPredictor(model, options);
        Query(predictor);
    }

    /// <summary>One query on feature 0 (none when the model has no features); the answer must hold known labels.</summary>
    public static void Query(XLinearPredictor predictor)
    {
        int[] ids = predictor.FeatureCount > 0 ? [0] : [];
        float[] values = predictor.FeatureCount > 0 ? [1f] : [];
        foreach (var hit in predictor.Predict(ids, values))
            if ((uint)hit.Label >= (uint)predictor.LabelCount)
                throw new InvalidOperationException($"label {hit.Label} is outside the model's {predictor.LabelCount} labels");
    }
}
