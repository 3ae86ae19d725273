namespace XmrEngine.Common;

/// <summary>
/// A small SplitMix64 generator. Written out here (rather than using <see cref="Random"/>) so that
/// trees and trained weights are bit-identical across .NET versions and platforms, and so every tree
/// node can get its own stream derived from (seed, level, node): the result then does not depend on
/// which thread handles which node.
/// </summary>
public struct SeededRandom
{
    private const ulong Golden = 0x9E3779B97F4A7C15UL;
    private ulong _state;

    /// <summary>Creates a generator whose stream is fully determined by <paramref name="seed"/>.</summary>
    public SeededRandom(ulong seed) => _state = seed;

    /// <summary>
    /// The generator's whole state: <c>new SeededRandom(State)</c> continues the same stream. The native
    /// solver takes it in and hands the advanced state back.
    /// </summary>
    public readonly ulong State => _state;

    /// <summary>A generator for one tree node: distinct (seed, level, node) triples give unrelated streams.</summary>
    public static SeededRandom ForNode(long seed, int level, int node) =>
        new(Mix(Mix(Mix((ulong)seed) ^ (uint)level) + (uint)node));

    /// <summary>SplitMix64's finaliser: a bijective mix with good avalanche.</summary>
    public static ulong Mix(ulong z)
    {
        z += Golden;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        _state += Golden;
        ulong z = _state;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A uniform integer in [0, <paramref name="maxExclusive"/>) (multiply-shift; bias below 2^-32).</summary>
    public int NextInt(int maxExclusive)
    {
        if (maxExclusive <= 0) throw new ArgumentOutOfRangeException(nameof(maxExclusive), maxExclusive, "Upper bound must be positive.");
        return (int)(((NextUInt64() >> 32) * (ulong)(uint)maxExclusive) >> 32);
    }

    /// <summary>Fisher-Yates shuffle in place.</summary>
    public void Shuffle(Span<int> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
