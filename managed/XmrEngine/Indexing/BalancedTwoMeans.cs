using System.Runtime.CompilerServices;
using XmrEngine.Kernels;
using XmrEngine.Sparse;
using XmrEngine.Common;

namespace XmrEngine.Indexing;

/// <summary>
/// One exactly balanced spherical 2-means split (PECOS's partition_skmeans): the members of a node
/// are ordered so that the first floor(n/2) form the left child and the rest the right child, each
/// half sorted by label id. A member's score is &lt;c_right - c_left, z&gt; with c the L2-normalised sum
/// of a side's rows; the split is at the median score. Starts from two distinct random members and
/// stops when the left half no longer changes or after the iteration cap. Optionally, members with an empty row
/// score +infinity, so they go right before any other member (ties, as always, by id). One instance per worker;
/// all buffers are reused across nodes.
/// </summary>
internal sealed class BalancedTwoMeans
{
    private const int ScoreBlock = 4096;
    private readonly CsrMatrix _z;
    private readonly ScatterAccumulator _center;
    private readonly ScatterAccumulator _other;
    private ulong[] _keys = [];
    private int[] _previousLeft = [];
    private int[] _memberCopy = [];
    private readonly SparseKernels _kernels;
    private readonly bool _emptyRowsLast;

    /// <param name="labelFeatures">The label feature matrix Z (one row per label).</param>
    /// <param name="kernels">The backend that accumulates the centres and scores the members (every backend builds the same tree); null means managed.</param>
    /// <param name="emptyRowsLast">Score members with an empty row +infinity, so they fill the right half first (<see cref="HierarchicalKMeansOptions.EmptyRowsLast"/>).</param>
    public BalancedTwoMeans(CsrMatrix labelFeatures, SparseKernels? kernels = null, bool emptyRowsLast = false)
    {
        _z = labelFeatures;
        _kernels = kernels ?? ManagedKernels.Instance;
        _emptyRowsLast = emptyRowsLast;
        _center = new ScatterAccumulator(labelFeatures.Cols);
        _other = new ScatterAccumulator(labelFeatures.Cols);
    }

    /// <summary>Reorders <paramref name="members"/> into [left half | right half].</summary>
    /// <param name="members">Label ids of the node (any order on entry).</param>
    /// <param name="rng">The node's own random stream.</param>
    /// <param name="maxIterations">Iteration cap.</param>
    /// <param name="scoringThreads">Threads for scoring members (used when a level has fewer nodes than threads; the result does not change).</param>
    public void Split(Span<int> members, ref SeededRandom rng, int maxIterations, int scoringThreads = 1)
    {
        int n = members.Length;
        int mid = n / 2;
        if (n < 2) return;
        if (_keys.Length < n) _keys = new ulong[n];
        if (_previousLeft.Length < mid) _previousLeft = new int[mid];
        // The node's members arrive sorted by id from the parent split; sort anyway so the random
        // picks below depend only on the member set.
        members.Sort();
        for (int iter = 0; iter < maxIterations; iter++)
        {
            _center.Clear();
            _other.Clear();
            if (iter == 0)
            {
                int right = rng.NextInt(n);
                int left = (right + 1 + rng.NextInt(n - 1)) % n;
                _center.AddRows(_z, members.Slice(right, 1), 1f, _kernels);
                _center.AddRows(_z, members.Slice(left, 1), -1f, _kernels);
            }
            else
            {
                _center.AddRows(_z, members[mid..], 1f, _kernels);
                NormalizeInPlace(_center);
                _other.AddRows(_z, members[..mid], 1f, _kernels);
                double leftNorm = _other.Norm();
                if (leftNorm > 0) _center.AddScaled(_other, (float)(-1.0 / leftNorm));
            }
            members[..mid].CopyTo(_previousLeft);
            OrderByScore(members, scoringThreads);
            if (members[..mid].SequenceEqual(_previousLeft.AsSpan(0, mid))) break;
        }
        _center.Clear();
        _other.Clear();
    }

    private static void NormalizeInPlace(ScatterAccumulator v)
    {
        double norm = v.Norm();
        if (norm > 0) v.Scale((float)(1.0 / norm));
    }

    /// <summary>
    /// Sorts members by (score, id) ascending through one 64-bit key per member (order-preserving
    /// float bits in the high word, id in the low word), then sorts each half by id.
    /// </summary>
    // Hot loop: compile fully optimised at once instead of starting at tier 0 (matters for one-shot training runs).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void OrderByScore(Span<int> members, int threads)
    {
        int n = members.Length;
        var keys = _keys.AsSpan(0, n);
        if (threads > 1 && n >= 2 * ScoreBlock)
        {
            // Each key depends only on its member and the centre, so blocks can run anywhere.
            if (_memberCopy.Length < n) _memberCopy = new int[n];
            members.CopyTo(_memberCopy);
            ParallelBlocks.Run(n, ScoreBlock, threads, () => 0, (_, start, end, _) => ScoreRange(start, end));
        }
        else
        {
            for (int k = 0; k < n; k++) keys[k] = Key(members[k]);
        }
        keys.Sort();
        for (int k = 0; k < n; k++) members[k] = (int)(uint)keys[k];
        int mid = n / 2;
        members[..mid].Sort();
        members[mid..].Sort();
    }

    private void ScoreRange(int start, int end)
    {
        for (int k = start; k < end; k++) _keys[k] = Key(_memberCopy[k]);
    }

    /// <summary>The sort key of one member: its score's ordered bits, then its id.</summary>
    private ulong Key(int member)
    {
        var row = _z.Row(member);
        // Trusted: Z is a validated CSR matrix and the centre is as wide as Z.
        // Empty: no stored entry, or only explicit zeros (a PIFA row is all zero exactly when the label has no positive).
        float score = _emptyRowsLast && row.Values.IndexOfAnyExcept(0f) < 0
            ? float.PositiveInfinity
            : _kernels.GatherDotTrusted(row.Indices, row.Values, _center.Values);
        return ((ulong)OrderedBits(score) << 32) | (uint)member;
    }

    /// <summary>Maps a float to a uint whose unsigned order matches the float order (-0 and +0 are made equal).</summary>
    private static uint OrderedBits(float f)
    {
        if (f == 0f) f = 0f;
        uint bits = BitConverter.SingleToUInt32Bits(f);
        return (bits & 0x8000_0000u) != 0 ? ~bits : bits | 0x8000_0000u;
    }
}
