namespace XmrEngine.Apps.AutoComplete;

/// <summary>
/// Most-popular completion: for a prefix, the most frequent known queries that start with it (count
/// descending, ties in ordinal string order). The queries are kept in ordinal order, so the queries with a
/// given prefix form one contiguous range. A character trie holds a precomputed top list at every prefix
/// whose range has more than <see cref="ListSize"/> queries; a lookup walks the trie and, when it falls off
/// (a range of at most ListSize queries), ranks that small range directly. Either way a lookup costs
/// O(prefix length x log n + ListSize log ListSize). Queries seen fewer than <see cref="MinCount"/> times keep their ids
/// but are never offered. Immutable and thread-safe.
/// </summary>
public sealed class MostPopularCompleter
{
    private readonly string[] _queries;   // ordinal order
    private readonly int[] _counts;       // aligned with _queries
    private readonly int[] _callerId;     // position in _queries -> id the caller used
    private readonly int[] _childStart;   // node -> first child slot; length nodes + 1
    private readonly char[] _childChar;   // child slot -> edge character (ascending per node)
    private readonly int[] _childNode;    // child slot -> node
    private readonly int[] _top;          // node * ListSize + i -> position in _queries, or -1

    /// <summary>Length of the precomputed lists, the most completions one lookup returns.</summary>
    public int ListSize { get; }

    /// <summary>
    /// The fewest times a query must have been seen to be offered [1: every query]. An auto-complete model sets it
    /// (<see cref="QacModelSettings.MinPopularCount"/>) so that popularity alone never offers a query only one user typed.
    /// </summary>
    public int MinCount { get; }

    /// <summary>Number of distinct queries.</summary>
    public int QueryCount => _queries.Length;

    /// <summary>Number of trie nodes holding a precomputed list.</summary>
    public int NodeCount => _childStart.Length - 1;

    /// <summary>Builds the completer over distinct queries with their frequencies.</summary>
    /// <param name="queries">Distinct, non-empty queries; ids returned by lookups are indices into this list.</param>
    /// <param name="counts">Frequency of each query; positive.</param>
    /// <param name="listSize">Most completions per lookup [10].</param>
    /// <exception cref="ArgumentException">Lengths differ, a query is null, empty or repeated, or a count is not positive.</exception>
    public MostPopularCompleter(IReadOnlyList<string> queries, IReadOnlyList<int> counts, int listSize = 10)
        : this(queries, counts, listSize, minCount: 1)
    {
    }

    /// <summary>As the public constructor, offering only the queries seen at least <paramref name="minCount"/> times.</summary>
    internal MostPopularCompleter(IReadOnlyList<string> queries, IReadOnlyList<int> counts, int listSize, int minCount)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentNullException.ThrowIfNull(counts);
        ArgumentOutOfRangeException.ThrowIfLessThan(listSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(minCount, 1);
        if (queries.Count != counts.Count) throw new ArgumentException($"{queries.Count} queries but {counts.Count} counts.", nameof(counts));
        int n = queries.Count;
        for (int i = 0; i < n; i++)
        {
            if (string.IsNullOrEmpty(queries[i])) throw new ArgumentException($"Query {i} is null or empty.", nameof(queries));
            if (counts[i] <= 0) throw new ArgumentException($"Query {i} ('{queries[i]}') has count {counts[i]}; counts must be positive.", nameof(counts));
        }
        ListSize = listSize;
        MinCount = minCount;
        var order = Enumerable.Range(0, n).ToArray();
        Array.Sort(order, (a, b) => string.CompareOrdinal(queries[a], queries[b]));
        _queries = new string[n];
        _counts = new int[n];
        _callerId = order;
        for (int p = 0; p < n; p++)
        {
            _queries[p] = queries[order[p]];
            _counts[p] = counts[order[p]];
            if (p > 0 && string.Equals(_queries[p], _queries[p - 1], StringComparison.Ordinal))
                throw new ArgumentException($"Query '{_queries[p]}' appears twice (ids {order[p - 1]} and {order[p]}); queries must be distinct.", nameof(queries));
        }
        (_childStart, _childChar, _childNode, _top) = Build();
    }

    /// <summary>Counts the queries of a stream and builds a completer over the distinct ones.</summary>
    /// <param name="queries">Cleaned queries, with repeats.</param>
    /// <param name="listSize">Most completions per lookup.</param>
    /// <param name="distinct">The distinct queries in ordinal order; lookups return indices into it.</param>
    public static MostPopularCompleter FromQueries(IEnumerable<string> queries, int listSize, out IReadOnlyList<string> distinct)
    {
        ArgumentNullException.ThrowIfNull(queries);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var q in queries) counts[q] = counts.GetValueOrDefault(q) + 1;
        var keys = counts.Keys.ToArray();
        Array.Sort(keys, StringComparer.Ordinal);
        distinct = keys;
        return new MostPopularCompleter(keys, keys.Select(k => counts[k]).ToArray(), listSize);
    }

    /// <summary>Writes the ids of the best completions of <paramref name="prefix"/>, best first.</summary>
    /// <param name="prefix">The prefix, compared ordinally (clean it like the queries).</param>
    /// <param name="output">Receives at most min(output length, <see cref="ListSize"/>) ids.</param>
    /// <returns>The number of ids written.</returns>
    public int Complete(ReadOnlySpan<char> prefix, Span<int> output)
    {
        int node = 0, depth = 0;
        while (depth < prefix.Length)
        {
            int child = FindChild(node, prefix[depth]);
            if (child < 0) break;
            node = child;
            depth++;
        }
        int limit = Math.Min(output.Length, ListSize);
        if (depth == prefix.Length)
        {
            int written = 0;
            var top = _top.AsSpan(node * ListSize, ListSize);
            for (; written < limit && top[written] >= 0; written++) output[written] = _callerId[top[written]];
            return written;
        }
        // Fell off the trie: at most ListSize queries have this prefix; rank them directly.
        var (lo, hi) = PrefixRange(prefix);
        int size = Math.Max(0, hi - lo);
        Span<int> positions = size <= 256 ? stackalloc int[size] : new int[size];
        int offered = 0;
        for (int p = lo; p < hi; p++)
            if (_counts[p] >= MinCount) positions[offered++] = p;
        positions = positions[..offered];
        SortByPopularity(positions);
        int m = Math.Min(limit, positions.Length);
        for (int i = 0; i < m; i++) output[i] = _callerId[positions[i]];
        return m;
    }

    /// <summary>The ids of the best completions of <paramref name="prefix"/>, best first (allocates).</summary>
    public int[] Complete(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var buffer = new int[ListSize];
        int n = Complete(prefix.AsSpan(), buffer);
        return buffer[..n];
    }

    private int FindChild(int node, char c)
    {
        int lo = _childStart[node], hi = _childStart[node + 1] - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            char m = _childChar[mid];
            if (m == c) return _childNode[mid];
            if (m < c) lo = mid + 1;
            else hi = mid - 1;
        }
        return -1;
    }

    /// <summary>The positions [lo, hi) of the queries that start with <paramref name="prefix"/>.</summary>
    private (int Lo, int Hi) PrefixRange(ReadOnlySpan<char> prefix) => (Bound(prefix, upper: false), Bound(prefix, upper: true));

    private int Bound(ReadOnlySpan<char> prefix, bool upper)
    {
        int lo = 0, hi = _queries.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            var q = _queries[mid].AsSpan();
            int c = q[..Math.Min(q.Length, prefix.Length)].SequenceCompareTo(prefix);
            if (c < 0 || (upper && c == 0)) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    private void SortByPopularity(Span<int> positions) =>
        positions.Sort((a, b) => _counts[a] != _counts[b] ? _counts[b].CompareTo(_counts[a]) : a.CompareTo(b));

    /// <summary>
    /// Breadth-first trie over ranges with more than ListSize queries, then the top lists bottom-up
    /// (reverse breadth-first order visits children before parents; no recursion, so long shared prefixes are safe).
    /// </summary>
    private (int[] ChildStart, char[] ChildChar, int[] ChildNode, int[] Top) Build()
    {
        int k = ListSize;
        var lo = new List<int> { 0 };
        var hi = new List<int> { _queries.Length };
        var depth = new List<int> { 0 };
        var childStart = new List<int> { 0 };
        var childChar = new List<char>();
        var childNode = new List<int>();
        for (int node = 0; node < lo.Count; node++)
        {
            int t = depth[node], p = lo[node], end = hi[node];
            if (end - p > k)
            {
                if (_queries[p].Length == t) p++; // the prefix itself is a query; it sorts first
                while (p < end)
                {
                    char c = _queries[p][t];
                    int q = p + 1;
                    while (q < end && _queries[q][t] == c) q++;
                    if (q - p > k)
                    {
                        childChar.Add(c);
                        childNode.Add(lo.Count);
                        lo.Add(p);
                        hi.Add(q);
                        depth.Add(t + 1);
                    }
                    p = q;
                }
            }
            childStart.Add(childChar.Count);
        }
        int nodes = lo.Count;
        var starts = childStart.ToArray();
        var chars = childChar.ToArray();
        var children = childNode.ToArray();
        var top = new int[checked(nodes * k)];
        Array.Fill(top, -1);
        var candidates = new List<int>();
        for (int node = nodes - 1; node >= 0; node--)
        {
            candidates.Clear();
            int p = lo[node], slot = starts[node];
            while (p < hi[node])
            {
                if (slot < starts[node + 1] && lo[children[slot]] == p)
                {
                    int child = children[slot++];
                    for (int i = 0; i < k && top[child * k + i] >= 0; i++) candidates.Add(top[child * k + i]);
                    p = hi[child];
                }
                else
                {
                    if (_counts[p] >= MinCount) candidates.Add(p);
                    p++;
                }
            }
            var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(candidates);
            SortByPopularity(span);
            span[..Math.Min(k, span.Length)].CopyTo(top.AsSpan(node * k));
        }
        return (starts, chars, children, top);
    }
}
