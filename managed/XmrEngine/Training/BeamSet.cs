namespace XmrEngine.Training;

/// <summary>
/// The beam of every instance at one tree level: per instance up to beam-width (node, score) pairs,
/// best first, stored CSR-style. Immutable once built.
/// </summary>
internal sealed class BeamSet
{
    public BeamSet(long[] ptr, int[] nodes, float[] scores)
    {
        Ptr = ptr;
        Nodes = nodes;
        Scores = scores;
    }

    /// <summary>Per-instance offsets into <see cref="Nodes"/>, length instances + 1.</summary>
    public long[] Ptr { get; }

    /// <summary>Node ids, instance by instance, best first.</summary>
    public int[] Nodes { get; }

    /// <summary>Path scores aligned with <see cref="Nodes"/>.</summary>
    public float[] Scores { get; }

    /// <summary>Number of instances.</summary>
    public int InstanceCount => Ptr.Length - 1;

    /// <summary>Nodes in the beam of instance <paramref name="i"/>, best first.</summary>
    public ReadOnlySpan<int> NodesOf(int i) => Nodes.AsSpan((int)Ptr[i], (int)(Ptr[i + 1] - Ptr[i]));

    /// <summary>Scores in the beam of instance <paramref name="i"/>, aligned with <see cref="NodesOf"/>.</summary>
    public ReadOnlySpan<float> ScoresOf(int i) => Scores.AsSpan((int)Ptr[i], (int)(Ptr[i + 1] - Ptr[i]));

    /// <summary>The beam above level 0: every instance sits at the root (node 0) with score 1.</summary>
    public static BeamSet Root(int instances)
    {
        var ptr = new long[instances + 1];
        for (int i = 0; i <= instances; i++) ptr[i] = i;
        var scores = new float[instances];
        Array.Fill(scores, 1f);
        return new BeamSet(ptr, new int[instances], scores);
    }
}
