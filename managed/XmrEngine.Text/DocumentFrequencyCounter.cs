using System.Runtime.InteropServices;

namespace XmrEngine.Text;

/// <summary>
/// One worker's document-frequency table for one vectorizer: term -> number of documents containing it.
/// Looked up by span, so a term's string is allocated only the first time the worker sees it. Each entry
/// remembers the last document that counted it, so repeats inside a document count once without a
/// per-document set.
/// </summary>
internal sealed class DocumentFrequencyCounter
{
    internal struct Entry
    {
        public int Df;
        public long LastDocument;
    }

    // The default comparer (ordinal equality) starts with fast non-randomised hashing and switches to
    // randomised hashing only if collisions pile up; StringComparer.Ordinal always randomises and its span
    // lookups measured about four times slower.
    private readonly Dictionary<string, Entry> _table = new();
    private readonly Dictionary<string, Entry>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private long _document;

    public DocumentFrequencyCounter() => _lookup = _table.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>The counts gathered so far.</summary>
    public Dictionary<string, Entry> Table => _table;

    /// <summary>Analyses one document and counts each of its distinct terms once.</summary>
    public void AddDocument(string text, TfidfOptions options, TextScratch scratch)
    {
        _document++;
        var sink = new Sink(this);
        NgramAnalyzer.Analyze(text, options, scratch, ref sink);
    }

    /// <summary>Adds another worker's counts into this table; the other table is left empty.</summary>
    public void MergeFrom(DocumentFrequencyCounter other)
    {
        foreach (var (term, e) in other._table)
        {
            ref Entry mine = ref CollectionsMarshal.GetValueRefOrAddDefault(_table, term, out _);
            mine.Df += e.Df;
        }
        other._table.Clear();
        other._table.TrimExcess();
    }

    private readonly struct Sink(DocumentFrequencyCounter owner) : INgramSink
    {
        public void Add(ReadOnlySpan<char> term, int position)
        {
            ref Entry e = ref CollectionsMarshal.GetValueRefOrAddDefault(owner._lookup, term, out _);
            if (e.LastDocument != owner._document)
            {
                e.LastDocument = owner._document;
                e.Df++;
            }
        }
    }
}
