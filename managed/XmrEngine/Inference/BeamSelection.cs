using System.Runtime.CompilerServices;

namespace XmrEngine.Inference;

/// <summary>
/// The one rule every beam search applies to a scored child: transform the raw score with the
/// post-processor, combine it with the parent's score unless this is the first level (PECOS does not
/// chain the root's score), and offer it to a bounded <see cref="TopKHeap"/>. The single-query search,
/// the batch search (through the same <see cref="BeamSearch.Step"/>) and training's matcher-aware negative mining all go through here, so they cannot
/// drift apart.
/// </summary>
internal static class BeamSelection
{
    /// <summary>Offers the children of one parent; returns the heap's new count.</summary>
    /// <param name="post">Transform and combiner.</param>
    /// <param name="combine">False at the top level.</param>
    /// <param name="parentScore">The parent's path score.</param>
    /// <param name="children">Child node ids.</param>
    /// <param name="raw">Raw linear scores aligned with <paramref name="children"/>.</param>
    /// <param name="heapNodes">Heap node storage (at least <paramref name="k"/> long).</param>
    /// <param name="heapScores">Heap score storage aligned with <paramref name="heapNodes"/>.</param>
    /// <param name="count">Entries already in the heap.</param>
    /// <param name="k">Most entries to keep.</param>
    /// <remarks>Inlined: the single-query search calls it once per beam parent, where a call shows in serving latency.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Offer(PostProcessor post, bool combine, float parentScore, ReadOnlySpan<int> children, ReadOnlySpan<float> raw,
        Span<int> heapNodes, Span<float> heapScores, int count, int k)
    {
        for (int j = 0; j < children.Length; j++)
        {
            float s = post.Transform(raw[j]);
            if (combine) s = post.Combine(s, parentScore);
            count = TopKHeap.Offer(heapNodes, heapScores, count, k, children[j], s);
        }
        return count;
    }
}
