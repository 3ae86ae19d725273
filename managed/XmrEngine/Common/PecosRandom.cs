namespace XmrEngine.Common;

/// <summary>
/// The random draws PECOS's C++ core makes, reproduced so that <c>--preset pecos</c> builds PECOS's tree and visits the
/// solver's coordinates in PECOS's order. PECOS draws from a 32-bit Mersenne Twister (MT19937) and reduces the draws the
/// way GCC's standard library does: integers in a range by Lemire's nearly divisionless multiply-shift (one draw, a
/// rejected draw only when the low half falls under 2^32 mod the range), and shuffles that, while the square of the
/// length fits the generator's 32 bits, place two elements per draw. <see cref="SeededRandom"/> stays the engine's own,
/// faster generator; this one exists for parity only.
/// </summary>
internal sealed class PecosRandom
{
    private const int N = 624;
    private const int M = 397;
    private readonly uint[] _mt = new uint[N];
    private int _next;

    /// <summary>A generator seeded as MT19937's standard seeding does (a seed of 0 is valid).</summary>
    public PecosRandom(uint seed) => Reseed(seed);

    /// <summary>Restarts the stream from <paramref name="seed"/>, reusing the state array.</summary>
    public void Reseed(uint seed)
    {
        _mt[0] = seed;
        for (int i = 1; i < N; i++) _mt[i] = 1812433253u * (_mt[i - 1] ^ (_mt[i - 1] >> 30)) + (uint)i;
        _next = N;
    }

    /// <summary>The next 32 random bits (MT19937's tempered output).</summary>
    public uint NextUInt32()
    {
        if (_next >= N) Twist();
        uint y = _mt[_next++];
        y ^= y >> 11;
        y ^= (y << 7) & 0x9D2C5680u;
        y ^= (y << 15) & 0xEFC60000u;
        return y ^ (y >> 18);
    }

    private void Twist()
    {
        for (int i = 0; i < N; i++)
        {
            uint y = (_mt[i] & 0x8000_0000u) | (_mt[(i + 1) % N] & 0x7FFF_FFFFu);
            _mt[i] = _mt[(i + M) % N] ^ (y >> 1) ^ ((y & 1u) != 0 ? 0x9908_B0DFu : 0u);
        }
        _next = 0;
    }

    /// <summary>
    /// A uniform integer in [<paramref name="low"/>, <paramref name="high"/>], both inclusive, drawn as GCC's
    /// uniform integer distribution draws it from a 32-bit generator.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The range is empty or wider than 2^32.</exception>
    public long UniformInt(long low, long high)
    {
        if (high < low || high - low > uint.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(high), high, $"The range [{low}, {high}] must hold 1 to 2^32 values.");
        ulong span = (ulong)(high - low);
        // A range as wide as the generator's takes the draw as it is.
        if (span == uint.MaxValue) return low + NextUInt32();
        uint range = (uint)(span + 1);
        ulong product = (ulong)NextUInt32() * range;
        uint lowBits = (uint)product;
        if (lowBits < range)
        {
            uint threshold = (0u - range) % range;
            while (lowBits < threshold)
            {
                product = (ulong)NextUInt32() * range;
                lowBits = (uint)product;
            }
        }
        return low + (long)(product >> 32);
    }

    /// <summary>Shuffles <paramref name="items"/> in place with exactly GCC's std::shuffle swaps and draws.</summary>
    public void Shuffle(Span<int> items)
    {
        int n = items.Length;
        if (n == 0) return;
        if (uint.MaxValue / (ulong)n >= (ulong)n)
        {
            // Short ranges: one draw gives the swap positions of two successive elements (an odd first swap when the
            // number of swaps, n - 1, is odd).
            int i = 1;
            if (n % 2 == 0)
            {
                Swap(items, i++, (int)UniformInt(0, 1));
            }
            while (i != n)
            {
                long slots = i + 1;
                long x = UniformInt(0, slots * (slots + 1) - 1);
                Swap(items, i++, (int)(x / (slots + 1)));
                Swap(items, i++, (int)(x % (slots + 1)));
            }
            return;
        }
        for (int i = 1; i < n; i++) Swap(items, i, (int)UniformInt(0, i));
    }

    private static void Swap(Span<int> items, int a, int b) => (items[a], items[b]) = (items[b], items[a]);
}
