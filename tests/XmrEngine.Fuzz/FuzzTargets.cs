using XmrEngine.Fuzz.Targets;

namespace XmrEngine.Fuzz;

/// <summary>Every fuzz target by name, as <c>./build.sh fuzz TARGET</c> and the regression replay test see them.</summary>
internal static class FuzzTargets
{
    public static readonly IReadOnlyDictionary<string, FuzzTarget> All = new[]
    {
        SparseDataTargets.Npz, SparseDataTargets.Npy, SparseDataTargets.Xmc, SparseDataTargets.Svm, SparseDataTargets.Xmrd,
        ModelFileTargets.Model, ModelFileTargets.Mapped, ModelFileTargets.Pecos, ModelFileTargets.Ann,
        TextFileTargets.Tfidf, TextFileTargets.TfidfConfig, TextFileTargets.QueryLog, TextFileTargets.Text2TextData,
        AppModelTargets.Qac, AppModelTargets.Text2Text, HttpBodyTargets.Predict,
    }.ToDictionary(t => t.Name);
}
