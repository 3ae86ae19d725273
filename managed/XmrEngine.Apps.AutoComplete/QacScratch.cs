using XmrEngine.Inference;
using XmrEngine.Text;

namespace XmrEngine.Apps.AutoComplete;

/// <summary>Per-thread buffers of one suggestion call; they only grow, so steady-state calls allocate little.</summary>
internal sealed class QacScratch
{
    [ThreadStatic] private static QacScratch? t_current;

    /// <summary>The calling thread's scratch.</summary>
    public static QacScratch Current => t_current ??= new QacScratch();

    public readonly TfidfWorkspace Tfidf = new();
    public int[] Indices = new int[64];
    public float[] Values = new float[64];
    public ScoredLabel[] Candidates = [];
    public int[] Popular = [];
    public readonly QacCandidatePool Pool = new();

    public void EnsureFeatures(int n)
    {
        if (Indices.Length >= n) return;
        int size = Math.Max(n, 2 * Indices.Length);
        Array.Resize(ref Indices, size);
        Array.Resize(ref Values, size);
    }

    public void EnsureCandidates(int candidates, int popular)
    {
        if (Candidates.Length < candidates) Candidates = new ScoredLabel[candidates];
        if (Popular.Length < popular) Popular = new int[popular];
    }
}
