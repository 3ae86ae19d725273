using XmrEngine.Sparse;

namespace XmrEngine.Training;

/// <summary>
/// One worker's reusable buffers for solving node problems: the dense weight vector w (length D)
/// with its bias weight, the node's instances with their labels, dual variables, diagonal terms and
/// the visiting order, plus the set of features any instance of the node touches — w can only be
/// non-zero there, so extraction and clearing cost O(touched) instead of O(D). The node's input rows
/// are copied into one packed buffer when they fit a budget: the solver visits them in random order
/// many times, and a node-sized block stays in cache where rows scattered over X do not.
/// </summary>
internal sealed class SolverWorkspace
{
    /// <summary>Largest number of stored entries copied into the packed buffer (32 MB of indices and values).</summary>
    public const long DefaultPackBudget = 1L << 22;

    private readonly bool[] _featureMarked;
    private int[] _touched = new int[256];
    private int[] _packedIdx = [];
    private float[] _packedVal = [];

    public SolverWorkspace(int featureCount)
    {
        W = new float[featureCount];
        _featureMarked = new bool[featureCount];
    }

    /// <summary>Dense weights over the D input features; all zero between solves.</summary>
    public float[] W { get; }

    /// <summary>Weight of the bias feature.</summary>
    public double B { get; set; }

    /// <summary>Number of instances in the current problem.</summary>
    public int Count { get; private set; }

    /// <summary>Instance id per position.</summary>
    public int[] Instance { get; private set; } = new int[256];

    /// <summary>Label (+1 / -1) per position.</summary>
    public sbyte[] Label { get; private set; } = new sbyte[256];

    /// <summary>Where each position's input row starts in <see cref="RowIndexSource"/> / <see cref="RowValueSource"/>.</summary>
    public int[] RowStart { get; private set; } = new int[256];

    /// <summary>Number of stored entries of each position's input row.</summary>
    public int[] RowLength { get; private set; } = new int[256];

    /// <summary>Column indices of the rows: the packed buffer, or X's own array when the node is too large to pack.</summary>
    public int[] RowIndexSource { get; private set; } = [];

    /// <summary>Values of the rows, aligned with <see cref="RowIndexSource"/>.</summary>
    public float[] RowValueSource { get; private set; } = [];

    /// <summary>Squared norm of each position's input (bias included).</summary>
    public double[] SquaredNorm { get; private set; } = new double[256];

    /// <summary>Dual variables: one per position for the hinge losses, two per position for logistic.</summary>
    public double[] Alpha { get; private set; } = new double[512];

    /// <summary>Visiting order of positions (shuffled, shrunk).</summary>
    public int[] Order { get; private set; } = new int[256];

    /// <summary>Number of distinct features touched by the current problem.</summary>
    public int TouchedCount { get; private set; }

    /// <summary>The touched features, in first-touch order.</summary>
    public Span<int> Touched => _touched.AsSpan(0, TouchedCount);

    /// <summary>Whether feature j is touched by the current problem.</summary>
    public bool IsTouched(int j) => _featureMarked[j];

    /// <summary>Starts a new problem: no instances, no touched features, w = 0, b = 0.</summary>
    public void BeginProblem()
    {
        Count = 0;
        B = 0;
    }

    /// <summary>Appends one instance with its label.</summary>
    public void AddInstance(int instance, sbyte label)
    {
        if (Count == Instance.Length) Grow();
        Instance[Count] = instance;
        Label[Count] = label;
        Count++;
    }

    /// <summary>
    /// Attaches every position's input row from <paramref name="x"/> (packed when the total fits
    /// <paramref name="packBudget"/>), computes squared norms plus <paramref name="biasSquared"/>, and
    /// marks the touched features.
    /// </summary>
    public void LoadRows(CsrMatrix x, double biasSquared, long packBudget = DefaultPackBudget)
    {
        long total = 0;
        for (int k = 0; k < Count; k++) total += x.RowLength(Instance[k]);
        bool pack = total <= packBudget;
        if (pack && _packedIdx.Length < total)
        {
            long size = Math.Min(Math.Max(total, 2L * _packedIdx.Length), packBudget);
            _packedIdx = new int[size];
            _packedVal = new float[size];
        }
        RowIndexSource = pack ? _packedIdx : x.ColIdxArray;
        RowValueSource = pack ? _packedVal : x.ValuesArray;
        int offset = 0;
        for (int k = 0; k < Count; k++)
        {
            int i = Instance[k];
            var idx = x.RowIndices(i);
            var val = x.RowValues(i);
            double s = 0;
            foreach (float v in val) s += (double)v * v;
            SquaredNorm[k] = s + biasSquared;
            MarkFeatures(idx);
            RowLength[k] = idx.Length;
            if (pack)
            {
                idx.CopyTo(_packedIdx.AsSpan(offset));
                val.CopyTo(_packedVal.AsSpan(offset));
                RowStart[k] = offset;
                offset += idx.Length;
            }
            else
            {
                RowStart[k] = (int)x.RowPointers[i];
            }
        }
    }

    /// <summary>Records the features of one input row as touched.</summary>
    public void MarkFeatures(ReadOnlySpan<int> features)
    {
        foreach (int j in features)
        {
            if (_featureMarked[j]) continue;
            _featureMarked[j] = true;
            if (TouchedCount == _touched.Length) Array.Resize(ref _touched, TouchedCount * 2);
            _touched[TouchedCount++] = j;
        }
    }

    /// <summary>Zeroes w on the touched features and forgets them, making w all zero again.</summary>
    public void ClearWeights()
    {
        foreach (int j in Touched)
        {
            W[j] = 0f;
            _featureMarked[j] = false;
        }
        TouchedCount = 0;
        B = 0;
    }

    private void Grow()
    {
        int n = Instance.Length * 2;
        Instance = Resized(Instance, n);
        Label = Resized(Label, n);
        SquaredNorm = Resized(SquaredNorm, n);
        RowStart = Resized(RowStart, n);
        RowLength = Resized(RowLength, n);
        Order = Resized(Order, n);
        Alpha = Resized(Alpha, 2 * n);
    }

    private static T[] Resized<T>(T[] a, int n)
    {
        Array.Resize(ref a, n);
        return a;
    }
}
