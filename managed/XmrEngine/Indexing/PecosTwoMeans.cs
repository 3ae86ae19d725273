using XmrEngine.Common;
using XmrEngine.Sparse;

namespace XmrEngine.Indexing;

/// <summary>
/// One balanced spherical 2-means split done exactly as PECOS does it (its partition_skmeans), for
/// <c>--preset pecos</c>. The result is the split <see cref="BalancedTwoMeans"/> describes, with PECOS's draws and
/// PECOS's rounding: the first centre is the difference of two members PECOS's generator picks; later centres are the
/// right half's sum and the left half's sum, each scaled to unit length (squared length summed in single precision,
/// in index order when PECOS holds the centre dense and in first-touch order when it holds it sparse), then
/// subtracted; scores are single-precision sums in row order, and ties go to the lower id. Exact equality of the
/// scores matters because labels with equal embeddings (every label without a positive) tie, and the side of the
/// median they fall on is the tree.
/// </summary>
internal sealed class PecosTwoMeans
{
    private readonly CsrMatrix _z;
    private readonly Centre _right;
    private readonly Centre _left;
    private readonly float[] _scores;
    private int[] _previousLeft = [];
    private int[] _sortBuffer = [];

    /// <param name="labelFeatures">The label feature matrix Z (one row per label).</param>
    public PecosTwoMeans(CsrMatrix labelFeatures)
    {
        _z = labelFeatures;
        _right = new Centre(labelFeatures.Cols);
        _left = new Centre(labelFeatures.Cols);
        _scores = new float[labelFeatures.Rows];
    }

    /// <summary>Reorders <paramref name="members"/> (sorted by id on entry, as PECOS keeps them) into [left half | right half].</summary>
    /// <param name="members">The node's label ids.</param>
    /// <param name="rng">The node's generator, seeded with the node's seed.</param>
    /// <param name="maxIterations">Iteration cap.</param>
    /// <param name="sparseCentres">Whether PECOS holds this level's centres sparse (it sums their squared length in
    /// the order entries were first touched instead of by index).</param>
    public void Split(Span<int> members, PecosRandom rng, int maxIterations, bool sparseCentres)
    {
        int n = members.Length;
        // One member or none: PECOS would draw and then leave the order as it is.
        if (n < 2) return;
        int mid = n / 2;
        if (_previousLeft.Length < mid) _previousLeft = new int[mid];
        for (int iter = 0; iter < maxIterations; iter++)
        {
            _right.Clear();
            _left.Clear();
            if (iter == 0)
            {
                int r = (int)rng.UniformInt(0, n - 1);
                int l = (int)((r + rng.UniformInt(1, n - 1)) % n);
                _right.Add(_z.Row(members[r]));
                _left.Add(_z.Row(members[l]));
            }
            else
            {
                foreach (int e in members[mid..]) _right.Add(_z.Row(e));
                _right.ScaleToUnit(sparseCentres);
                foreach (int e in members[..mid]) _left.Add(_z.Row(e));
                _left.ScaleToUnit(sparseCentres);
            }
            _right.Subtract(_left);
            foreach (int e in members) _scores[e] = _right.Dot(_z.Row(e));
            members[..mid].CopyTo(_previousLeft);
            OrderByScore(members);
            if (members[..mid].SequenceEqual(_previousLeft.AsSpan(0, mid))) break;
        }
        _right.Clear();
        _left.Clear();
    }

    private void OrderByScore(Span<int> members)
    {
        int n = members.Length;
        if (_sortBuffer.Length < n) _sortBuffer = new int[n];
        var keys = _sortBuffer.AsSpan(0, n);
        members.CopyTo(keys);
        var scores = _scores;
        // Ascending score, then ascending id: a strict total order, so any sort gives PECOS's result.
        keys.Sort((a, b) => scores[a] < scores[b] ? -1 : scores[a] > scores[b] ? 1 : a.CompareTo(b));
        keys.CopyTo(members);
        int mid = n / 2;
        members[..mid].Sort();
        members[mid..].Sort();
    }

    /// <summary>A dense single-precision centre that remembers which entries it touched, and in which order.</summary>
    private sealed class Centre
    {
        private readonly float[] _values;
        private readonly bool[] _isTouched;
        private readonly List<int> _touched = [];

        public Centre(int width)
        {
            _values = new float[width];
            _isTouched = new bool[width];
        }

        public void Clear()
        {
            foreach (int i in _touched)
            {
                _values[i] = 0;
                _isTouched[i] = false;
            }
            _touched.Clear();
        }

        public void Add(SparseVector row)
        {
            var idx = row.Indices;
            var val = row.Values;
            for (int s = 0; s < idx.Length; s++) AddAt(idx[s], val[s]);
        }

        private void AddAt(int i, float v)
        {
            if (!_isTouched[i])
            {
                _isTouched[i] = true;
                _touched.Add(i);
            }
            _values[i] += v;
        }

        /// <summary>This minus <paramref name="other"/>, entry by entry in single precision.</summary>
        public void Subtract(Centre other)
        {
            foreach (int i in other._touched) AddAt(i, -other._values[i]);
        }

        public void ScaleToUnit(bool touchOrder)
        {
            float squared = 0;
            if (touchOrder)
            {
                foreach (int i in _touched) squared += _values[i] * _values[i];
            }
            else
            {
                // Untouched entries are zero and add nothing, so summing the touched ones by index is the dense sum.
                _touched.Sort();
                foreach (int i in _touched) squared += _values[i] * _values[i];
            }
            if (squared > 0)
            {
                double scale = 1.0 / Math.Sqrt(squared);
                foreach (int i in _touched) _values[i] = (float)(_values[i] * scale);
            }
        }

        public float Dot(SparseVector row)
        {
            var idx = row.Indices;
            var val = row.Values;
            float sum = 0;
            for (int s = 0; s < idx.Length; s++) sum += _values[idx[s]] * val[s];
            return sum;
        }
    }
}
