using XmrEngine.Sparse;

namespace XmrEngine.Text;

/// <summary>
/// Reusable buffers for transforming one document at a time. A vectorizer's single-document
/// <c>Transform</c> writes its result here and returns a <see cref="SparseVector"/> view of it, valid until
/// the next call with the same workspace. After the longest document seen, transforms allocate nothing.
/// Not thread-safe: use one workspace per thread. Any vectorizer can use any workspace.
/// </summary>
public sealed class TfidfWorkspace
{
    internal readonly TextScratch Scratch = new();
    internal readonly FeatureBuffer Terms = new();
    internal readonly FeatureBuffer Base = new();
    internal readonly FeatureBuffer Combined = new();
}
