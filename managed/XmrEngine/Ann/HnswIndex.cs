namespace XmrEngine.Ann;

/// <summary>
/// An approximate nearest-neighbour index over dense float32 vectors: a hierarchical navigable small-world graph
/// (Malkov and Yashunin's HNSW). Each vector is a node on level 0 and, with probability 1/M per level, on levels above;
/// a search walks greedily down the upper levels from the entry node and then explores level 0 with a beam of
/// <c>ef</c> candidates. Neighbours are chosen with the diversity heuristic (a candidate is kept only if it is closer
/// to the new node than to every neighbour already kept), which keeps the graph navigable on clustered data.
/// <para>
/// Thread-safe: any number of threads may <see cref="Search"/> at once; <see cref="Add"/> and <see cref="Delete"/>
/// take a writer lock, so they wait for searches in flight and searches wait for them. Deleted vectors still route
/// searches (the graph stays connected) but are never returned.
/// </para>
/// </summary>
public sealed partial class HnswIndex
{
    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private readonly Random _levels;
    private readonly double _levelScale;
    private float[] _vectors;
    private int[] _nodeLevel;
    private bool[] _deleted;
    private int[] _links0;      // node * M0 + i
    private int[] _count0;      // node -> neighbours on level 0
    private int[]?[][] _upper;  // node -> [level - 1] -> neighbours (exact length), for levels 1..nodeLevel
    private int _count, _deletedCount, _entry = -1, _maxLevel = -1;

    /// <summary>An empty index of <paramref name="dimension"/>-dimensional vectors.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The dimension is not positive, or an option is out of range.</exception>
    public HnswIndex(int dimension, HnswOptions? options = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        Options = options ?? new HnswOptions();
        Options.Validate();
        Dimension = dimension;
        _levels = new Random(Options.Seed);
        _levelScale = 1.0 / Math.Log(Options.M);
        _vectors = new float[16 * dimension];
        _nodeLevel = new int[16];
        _deleted = new bool[16];
        _links0 = new int[16 * M0];
        _count0 = new int[16];
        _upper = new int[]?[16][];
    }

    /// <summary>The options the index was built with.</summary>
    public HnswOptions Options { get; }

    /// <summary>Length of every vector.</summary>
    public int Dimension { get; }

    /// <summary>Vectors ever added (ids run from 0 to Count - 1), deleted ones included.</summary>
    public int Count => _count;

    /// <summary>Vectors deleted (never returned by a search).</summary>
    public int DeletedCount => _deletedCount;

    private int M0 => 2 * Options.M;

    /// <summary>
    /// An index of the rows of <paramref name="vectors"/> (row-major, <paramref name="dimension"/> floats a row), ids in
    /// row order.
    /// </summary>
    /// <exception cref="ArgumentException">The length is not a multiple of the dimension, or a value is not finite.</exception>
    public static HnswIndex Build(ReadOnlySpan<float> vectors, int dimension, HnswOptions? options = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        if (vectors.Length % dimension != 0)
            throw new ArgumentException($"{vectors.Length} values are not whole rows of {dimension}.", nameof(vectors));
        var index = new HnswIndex(dimension, options);
        index.Reserve(vectors.Length / dimension);
        for (int row = 0; row < vectors.Length / dimension; row++) index.Add(vectors.Slice(row * dimension, dimension));
        return index;
    }

    /// <summary>Adds a vector; returns its id (the next one). Thread-safe (takes the writer lock).</summary>
    /// <exception cref="ArgumentException">The vector's length is not <see cref="Dimension"/>, or a value is not finite.</exception>
    public int Add(ReadOnlySpan<float> vector)
    {
        if (vector.Length != Dimension) throw new ArgumentException($"The vector has {vector.Length} values; the index holds {Dimension}-dimensional vectors.", nameof(vector));
        for (int i = 0; i < vector.Length; i++)
            if (!float.IsFinite(vector[i])) throw new ArgumentException($"The vector's value {i} is {vector[i]}; values must be finite.", nameof(vector));
        _lock.EnterWriteLock();
        try
        {
            Reserve(_count + 1);
            int node = _count;
            var stored = _vectors.AsSpan(node * Dimension, Dimension);
            vector.CopyTo(stored);
            if (Options.Metric == AnnMetric.Cosine) DenseDot.Normalize(stored);
            int level = DrawLevel();
            _nodeLevel[node] = level;
            _upper[node] = level == 0 ? [] : new int[]?[level];
            _count++;
            Insert(node, level);
            return node;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Marks a vector deleted: no search returns it again. False when it was already deleted.</summary>
    /// <exception cref="ArgumentOutOfRangeException">No vector has that id.</exception>
    public bool Delete(int id)
    {
        _lock.EnterWriteLock();
        try
        {
            if ((uint)id >= (uint)_count) throw new ArgumentOutOfRangeException(nameof(id), id, $"The index holds ids 0 to {_count - 1}.");
            if (_deleted[id]) return false;
            _deleted[id] = true;
            _deletedCount++;
            return true;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Whether the vector with this id was deleted.</summary>
    public bool IsDeleted(int id) => (uint)id < (uint)_count ? _deleted[id] : throw new ArgumentOutOfRangeException(nameof(id), id, $"The index holds ids 0 to {_count - 1}.");

    /// <summary>A copy of the stored vector (normalised for the cosine metric).</summary>
    public float[] Vector(int id) => (uint)id < (uint)_count
        ? _vectors.AsSpan(id * Dimension, Dimension).ToArray()
        : throw new ArgumentOutOfRangeException(nameof(id), id, $"The index holds ids 0 to {_count - 1}.");

    /// <summary>
    /// The (about) <paramref name="k"/> most similar live vectors to <paramref name="query"/>, most similar first, examining
    /// <paramref name="ef"/> candidates (0: <see cref="HnswOptions.EfSearch"/>; never fewer than k). Fewer than k come back
    /// only when fewer live vectors exist. Thread-safe.
    /// </summary>
    /// <exception cref="ArgumentException">The query's length is not <see cref="Dimension"/>, or a value is not finite.</exception>
    public AnnHit[] Search(ReadOnlySpan<float> query, int k, int ef = 0)
    {
        if (query.Length != Dimension) throw new ArgumentException($"The query has {query.Length} values; the index holds {Dimension}-dimensional vectors.", nameof(query));
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(ef);
        for (int i = 0; i < query.Length; i++)
            if (!float.IsFinite(query[i])) throw new ArgumentException($"The query's value {i} is {query[i]}; values must be finite.", nameof(query));
        var workspace = HnswWorkspace.Get(Dimension);
        var q = workspace.Query.AsSpan(0, Dimension);
        query.CopyTo(q);
        if (Options.Metric == AnnMetric.Cosine) DenseDot.Normalize(q);
        _lock.EnterReadLock();
        try
        {
            if (_entry < 0) return [];
            int ep = _entry;
            for (int level = _maxLevel; level > 0; level--) ep = Greedy(q, ep, level);
            var found = SearchLayer(q, ep, Math.Max(k, ef == 0 ? Options.EfSearch : ef), 0, workspace, skipDeleted: true);
            int n = Math.Min(k, found.Count);
            var hits = new AnnHit[n];
            for (int i = 0; i < n; i++) hits[i] = new AnnHit(found[i].Node, -found[i].Distance);
            return hits;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    private int DrawLevel()
    {
        double u = 1.0 - _levels.NextDouble(); // (0, 1]
        return Math.Min(32, (int)(-Math.Log(u) * _levelScale));
    }

    private void Reserve(int nodes)
    {
        if (nodes <= _nodeLevel.Length) return;
        int capacity = Math.Max(nodes, checked(_nodeLevel.Length * 2));
        Array.Resize(ref _vectors, checked(capacity * Dimension));
        Array.Resize(ref _nodeLevel, capacity);
        Array.Resize(ref _deleted, capacity);
        Array.Resize(ref _links0, checked(capacity * M0));
        Array.Resize(ref _count0, capacity);
        Array.Resize(ref _upper, capacity);
    }

    /// <summary>Distance used for ordering: the negated similarity (smaller is closer).</summary>
    private float Distance(ReadOnlySpan<float> q, int node) => -DenseDot.Dot(q, _vectors.AsSpan(node * Dimension, Dimension));

    private ReadOnlySpan<int> Neighbours(int node, int level) =>
        level == 0 ? _links0.AsSpan(node * M0, _count0[node]) : _upper[node][level - 1] ?? [];

    private int Greedy(ReadOnlySpan<float> q, int ep, int level)
    {
        float best = Distance(q, ep);
        for (bool moved = true; moved;)
        {
            moved = false;
            foreach (int n in Neighbours(ep, level))
            {
                float d = Distance(q, n);
                if (d < best)
                {
                    best = d;
                    ep = n;
                    moved = true;
                }
            }
        }
        return ep;
    }

    /// <summary>
    /// Beam search of one level from <paramref name="ep"/>: the <paramref name="ef"/> closest nodes found, closest
    /// first (deleted ones left out of the answer when <paramref name="skipDeleted"/>, though they are walked through).
    /// The list is the workspace's and is valid until its next use.
    /// </summary>
    private List<(int Node, float Distance)> SearchLayer(ReadOnlySpan<float> q, int ep, int ef, int level, HnswWorkspace w, bool skipDeleted)
    {
        w.Begin(_count);
        var candidates = w.Candidates;   // closest first
        var results = w.Results;         // farthest first
        float d0 = Distance(q, ep);
        w.Visit(ep);
        candidates.Enqueue(ep, d0);
        if (!(skipDeleted && _deleted[ep])) results.Enqueue(ep, -d0);
        float bound = results.Count > 0 ? d0 : float.PositiveInfinity;
        while (candidates.TryDequeue(out int c, out float dc))
        {
            if (dc > bound && results.Count >= ef) break;
            foreach (int n in Neighbours(c, level))
            {
                if (!w.Visit(n)) continue;
                float d = Distance(q, n);
                if (results.Count < ef || d < bound)
                {
                    candidates.Enqueue(n, d);
                    if (skipDeleted && _deleted[n]) continue;
                    results.Enqueue(n, -d);
                    if (results.Count > ef) results.Dequeue();
                    results.TryPeek(out _, out float worst);
                    bound = -worst;
                }
            }
        }
        var found = w.Found;
        found.Clear();
        while (results.TryDequeue(out int node, out float negative)) found.Add((node, -negative));
        found.Reverse();
        return found;
    }
}
