using XmrEngine.Sparse;

namespace XmrEngine.Kernels;

/// <summary>
/// One worker's reusable buffers for solving node problems: the dense weight vector w (length D)
/// with its bias weight, the node's instances with their labels, dual variables, diagonal terms and
/// the visiting order, plus the set of features any instance of the node touches — w can only be
/// non-zero there, so extraction and clearing cost O(touched) instead of O(D). Marking costs one
/// random access per stored entry, so when a node's rows hold at least D entries the workspace skips
/// it and treats every feature as touched (a sequential scan of w is then the cheaper way).
/// The node's input rows are copied into one packed buffer when X is too large to stay in cache and
/// the node's rows fit a budget: the solver visits them in random order many times, and a node-sized
/// block stays in cache where rows scattered over a large X do not. Packed rows are also renumbered to local
/// feature ids (a feature's place in the touched set; <see cref="LocalIndexing"/>), so w is used as one compact
/// block of the touched features instead of entries scattered over all D: the same sums in the same order (the
/// models are byte-identical), fewer cache misses.
/// </summary>
internal sealed class SolverWorkspace
{
    /// <summary>Largest number of stored entries copied into the packed buffer (32 MB of indices and values).</summary>
    public const long DefaultPackBudget = 1L << 22;

    /// <summary>
    /// X with fewer stored entries than this (8 MB of indices and values) is left in place: it fits the
    /// last-level cache, so copying each node's rows costs a pass over them and buys no locality.
    /// </summary>
    public const long DefaultPackMinimumSource = 1L << 20;

    // Per input feature, its local id (place in the touched set), or -1 when the current problem does not touch it.
    private readonly int[] _localId;
    private int[] _touched = new int[256];
    private int[] _packedIdx = [];
    private float[] _packedVal = [];

    public SolverWorkspace(int featureCount)
    {
        W = new float[featureCount];
        _localId = new int[featureCount];
        Array.Fill(_localId, -1);
    }

    /// <summary>
    /// Dense weights over the D input features, or over the touched features by local id when <see cref="LocalIndexing"/>;
    /// all zero between solves.
    /// </summary>
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

    /// <summary>
    /// Per position, the factor its class cost is multiplied by (cost-sensitive training: a positive's relevance;
    /// 1 for negatives); read only when <see cref="HasCosts"/>.
    /// </summary>
    public double[] Cost { get; private set; } = new double[256];

    /// <summary>Whether <see cref="Cost"/> holds this problem's factors; without them every factor is 1.</summary>
    public bool HasCosts { get; private set; }

    /// <summary>
    /// Gives the positives, in position order, the factors <paramref name="positiveCosts"/> (aligned with the node's
    /// sorted positives) and every negative 1. Call after the instances are added or relabelled.
    /// </summary>
    /// <exception cref="ArgumentException">The number of factors is not the number of positives.</exception>
    public void SetPositiveCosts(ReadOnlySpan<float> positiveCosts)
    {
        int q = 0;
        for (int k = 0; k < Count; k++)
        {
            if (Label[k] > 0)
            {
                if (q == positiveCosts.Length) break;
                Cost[k] = positiveCosts[q++];
            }
            else Cost[k] = 1.0;
        }
        int positives = 0;
        for (int k = 0; k < Count; k++) if (Label[k] > 0) positives++;
        if (q != positives || q != positiveCosts.Length)
            throw new ArgumentException($"Got {positiveCosts.Length} positive costs for {positives} positives.", nameof(positiveCosts));
        HasCosts = true;
    }

    /// <summary>Squared norm of each position's input (bias included).</summary>
    public double[] SquaredNorm { get; private set; } = new double[256];

    /// <summary>Dual variables: one per position for the hinge losses, two per position for logistic.</summary>
    public double[] Alpha { get; private set; } = new double[512];

    /// <summary>Visiting order of positions (shuffled, shrunk).</summary>
    public int[] Order { get; private set; } = new int[256];

    /// <summary>Number of distinct features marked as touched by the current problem (0 when <see cref="AllFeaturesTouched"/>).</summary>
    public int TouchedCount { get; private set; }

    /// <summary>Whether the current problem treats every feature as touched instead of marking them one by one.</summary>
    public bool AllFeaturesTouched { get; private set; }

    /// <summary>
    /// Whether the loaded rows hold local feature ids: row entry f stands for input feature <c>Touched[f]</c>, and so
    /// does <c>W[f]</c>. Set by <see cref="LoadRows"/> when it packs the rows of a problem that does not touch every feature.
    /// </summary>
    public bool LocalIndexing { get; private set; }

    /// <summary>The touched features, in first-touch order (a feature's place here is its local id).</summary>
    public Span<int> Touched => _touched.AsSpan(0, TouchedCount);

    /// <summary>Row ids of the weights that survive pruning (scratch for <see cref="Training.NodeWeightExtractor"/>).</summary>
    public int[] SurvivorRows { get; private set; } = new int[256];

    /// <summary>Values aligned with <see cref="SurvivorRows"/>.</summary>
    public float[] SurvivorValues { get; private set; } = new float[256];

    /// <summary>Stores survivor number <paramref name="k"/>, growing the scratch arrays as needed.</summary>
    public void AddSurvivor(int k, int row, float value)
    {
        if (k == SurvivorRows.Length)
        {
            SurvivorRows = Resized(SurvivorRows, 2 * k);
            SurvivorValues = Resized(SurvivorValues, 2 * k);
        }
        SurvivorRows[k] = row;
        SurvivorValues[k] = value;
    }

    /// <summary>Starts a new problem: no instances, no touched features, w = 0, b = 0.</summary>
    public void BeginProblem()
    {
        ForgetFeatures();
        Count = 0;
        B = 0;
        HasCosts = false;
    }

    /// <summary>
    /// Keeps the loaded instances and rows but relabels them: +1 for the instances in the sorted
    /// <paramref name="positives"/>, -1 otherwise. Instances must have been added in ascending order
    /// and every positive must be among them (siblings sharing their parent's candidate set).
    /// </summary>
    /// <exception cref="ArgumentException">A positive is not among the loaded instances.</exception>
    public void Relabel(ReadOnlySpan<int> positives)
    {
        HasCosts = false;
        int q = 0;
        for (int k = 0; k < Count; k++)
        {
            bool positive = q < positives.Length && positives[q] == Instance[k];
            if (positive) q++;
            Label[k] = positive ? (sbyte)1 : (sbyte)-1;
        }
        if (q != positives.Length)
            throw new ArgumentException($"Only {q} of {positives.Length} positives are among the {Count} loaded instances; the candidate set cannot be shared.", nameof(positives));
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
    /// Attaches every position's input row from <paramref name="x"/>, sets squared norms plus
    /// <paramref name="biasSquared"/>, and records the touched features (or switches to
    /// <see cref="AllFeaturesTouched"/> when the rows hold at least D entries). Rows are packed into
    /// one buffer when X holds at least <paramref name="packMinimumSource"/> entries and the node's rows
    /// fit <paramref name="packBudget"/>.
    /// </summary>
    /// <param name="x">The training instances.</param>
    /// <param name="biasSquared">Square of the bias feature's value (0 without bias).</param>
    /// <param name="rowSquaredNorms">Squared norm of every row of X, computed once per training run; null to compute per row here.</param>
    /// <param name="packBudget">Largest number of entries to pack.</param>
    /// <param name="packMinimumSource">Smallest X (stored entries) whose rows are worth packing.</param>
    public void LoadRows(CsrMatrix x, double biasSquared, double[]? rowSquaredNorms = null,
        long packBudget = DefaultPackBudget, long packMinimumSource = DefaultPackMinimumSource)
    {
        long total = 0;
        for (int k = 0; k < Count; k++) total += x.RowLength(Instance[k]);
        bool pack = total <= packBudget && x.Nnz >= packMinimumSource;
        if (pack && _packedIdx.Length < total)
        {
            long size = Math.Min(Math.Max(total, 2L * _packedIdx.Length), packBudget);
            _packedIdx = new int[size];
            _packedVal = new float[size];
        }
        RowIndexSource = pack ? _packedIdx : x.ColIdxArray;
        RowValueSource = pack ? _packedVal : x.ValuesArray;
        AllFeaturesTouched = total >= W.Length;
        LocalIndexing = pack && !AllFeaturesTouched;
        var rowPointers = x.Pointers;
        int offset = 0;
        for (int k = 0; k < Count; k++)
        {
            int i = Instance[k];
            var idx = x.Row(i).Indices;
            SquaredNorm[k] = (rowSquaredNorms is null ? RowSquaredNorm(x.Row(i).Values) : rowSquaredNorms[i]) + biasSquared;
            if (!AllFeaturesTouched) MarkFeatures(idx);
            RowLength[k] = idx.Length;
            if (pack)
            {
                var packed = _packedIdx.AsSpan(offset, idx.Length);
                if (LocalIndexing) for (int t = 0; t < packed.Length; t++) packed[t] = _localId[idx[t]];
                else idx.CopyTo(packed);
                x.Row(i).Values.CopyTo(_packedVal.AsSpan(offset));
                RowStart[k] = offset;
                offset += idx.Length;
            }
            else
            {
                RowStart[k] = (int)rowPointers[i];
            }
        }
    }

    /// <summary>Squared L2 norm of every row of <paramref name="x"/>, in double precision.</summary>
    public static double[] RowSquaredNorms(CsrMatrix x)
    {
        var norms = new double[x.Rows];
        for (int i = 0; i < norms.Length; i++) norms[i] = RowSquaredNorm(x.Row(i).Values);
        return norms;
    }

    private static double RowSquaredNorm(ReadOnlySpan<float> values)
    {
        double s = 0;
        foreach (float v in values) s += (double)v * v;
        return s;
    }

    /// <summary>Records the features of one input row as touched.</summary>
    public void MarkFeatures(ReadOnlySpan<int> features)
    {
        foreach (int j in features)
        {
            if (_localId[j] >= 0) continue;
            if (TouchedCount == _touched.Length) Array.Resize(ref _touched, TouchedCount * 2);
            _localId[j] = TouchedCount;
            _touched[TouchedCount++] = j;
        }
    }

    /// <summary>
    /// Zeroes w (on the touched features, or all of it) and b, keeping the touched set: siblings that
    /// share the loaded rows touch the same features.
    /// </summary>
    public void ZeroWeights()
    {
        if (AllFeaturesTouched) Array.Clear(W);
        else if (LocalIndexing) Array.Clear(W, 0, TouchedCount);
        else foreach (int j in Touched) W[j] = 0f;
        B = 0;
    }

    private void ForgetFeatures()
    {
        foreach (int j in Touched) _localId[j] = -1;
        TouchedCount = 0;
        AllFeaturesTouched = false;
        LocalIndexing = false;
    }

    private void Grow()
    {
        int n = Instance.Length * 2;
        Instance = Resized(Instance, n);
        Label = Resized(Label, n);
        SquaredNorm = Resized(SquaredNorm, n);
        Cost = Resized(Cost, n);
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
