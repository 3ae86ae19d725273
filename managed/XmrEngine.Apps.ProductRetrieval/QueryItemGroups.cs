namespace XmrEngine.Apps.ProductRetrieval;

/// <summary>
/// Distinct query texts in order of first appearance, each with the set of items seen for it: how the converters
/// turn (query, item) pairs into text2text lines, where a query that occurs many times is one line.
/// </summary>
internal sealed class QueryItemGroups
{
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private readonly List<string> _texts = [];
    private readonly List<SortedSet<int>> _items = [];

    /// <summary>Number of distinct queries.</summary>
    public int Count => _texts.Count;

    /// <summary>Records that <paramref name="item"/> is relevant to <paramref name="query"/> (repeats count once).</summary>
    public void Add(string query, int item)
    {
        if (!_index.TryGetValue(query, out int q))
        {
            q = _texts.Count;
            _index.Add(query, q);
            _texts.Add(query);
            _items.Add([]);
        }
        _items[q].Add(item);
    }

    /// <summary>Query <paramref name="q"/> (0-based, first-appearance order) with its items, ascending.</summary>
    public LabeledQuery this[int q] => new(_texts[q], [.. _items[q]]);

    /// <summary>Every query in first-appearance order.</summary>
    public List<LabeledQuery> ToList() => [.. Enumerable.Range(0, Count).Select(q => this[q])];
}
