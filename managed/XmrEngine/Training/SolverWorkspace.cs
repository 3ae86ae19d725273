namespace XmrEngine.Training;

/// <summary>
/// One worker's reusable buffers for solving node problems: the dense weight vector w (length D)
/// with its bias weight, the node's instances with their labels, dual variables, diagonal terms and
/// the visiting order, plus the set of features any instance of the node touches — w can only be
/// non-zero there, so extraction and clearing cost O(touched) instead of O(D).
/// </summary>
internal sealed class SolverWorkspace
{
    private readonly bool[] _featureMarked;
    private int[] _touched = new int[256];

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
        Order = Resized(Order, n);
        Alpha = Resized(Alpha, 2 * n);
    }

    private static T[] Resized<T>(T[] a, int n)
    {
        Array.Resize(ref a, n);
        return a;
    }
}
