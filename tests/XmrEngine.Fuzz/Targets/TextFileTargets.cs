using System.Text;
using XmrEngine.Apps.AutoComplete;
using XmrEngine.Apps.ProductRetrieval;
using XmrEngine.Tests.Apps.AutoComplete;
using XmrEngine.Tests.Apps.ProductRetrieval;
using XmrEngine.Text;
using static XmrEngine.Fuzz.FuzzContract;

namespace XmrEngine.Fuzz.Targets;

/// <summary>Readers of text-side files: TF-IDF vectorizer files and configs, query logs, text2text items and queries.</summary>
internal static class TextFileTargets
{
    private static readonly string[] Documents = ["red cordless drill 18v", "Blue garden hose, 50 ft", "drill bits (set of 20)"];

    private static readonly CombinedTfidfOptions SeedOptions = new()
    {
        Bases =
        [
            new TfidfOptions { MinNgram = 1, MaxNgram = 2 },
            new TfidfOptions { Analyzer = TextAnalyzer.CharWordBounded, MinNgram = 3, MaxNgram = 3, SublinearTf = true },
        ],
    };

    /// <summary>A saved TF-IDF vectorizer (single or combined), loaded as either kind; it must then transform text.</summary>
    public static readonly FuzzTarget Tfidf = new("tfidf", input => FuzzScratch.WithFile("vectorizer.tfidf", input, path =>
    {
        Expect(() => TfidfVectorizer.Load(path).Transform(Documents, threads: 1));
        Expect(() => Check(CombinedTfidfVectorizer.Load(path).Transform(Documents, threads: 1)));
    }), directory =>
    {
        CombinedTfidfVectorizer.Fit(Documents, SeedOptions, threads: 1).Save(Path.Combine(directory, "combined.tfidf"));
        TfidfVectorizer.Fit(Documents, SeedOptions.Bases[0], threads: 1).Save(Path.Combine(directory, "single.tfidf"));
    });

    /// <summary>A PECOS-style vectorizer config JSON file; options it accepts must fit a vectorizer.</summary>
    public static readonly FuzzTarget TfidfConfig = new("tfidf-config", input => FuzzScratch.WithFile("config.json", input, path =>
        Expect(() => CombinedTfidfVectorizer.Fit(Documents, CombinedTfidfOptions.FromJsonFile(path), threads: 1))), directory =>
    {
        File.WriteAllText(Path.Combine(directory, "combined.json"), SeedOptions.ToJson());
        File.WriteAllText(Path.Combine(directory, "default.json"), new CombinedTfidfOptions().ToJson());
    });

    /// <summary>A query log read both as an AOL user file and as an id/timestamp/query TSV file.</summary>
    public static readonly FuzzTarget QueryLog = new("querylog", input => FuzzScratch.WithFile("log.tsv", input, path =>
    {
        Expect(() => QueryLogReader.ReadAolFile(path, "user", []));
        Expect(() => QueryLogReader.ReadTsv(path));
    }), directory =>
    {
        SyntheticQueryLog.WriteTsv(Path.Combine(directory, "sessions.tsv"), sessions: 6, seed: 1);
        // The AOL layout has no writer in the engine (it is only ever read): a record, a click line, a blank line.
        File.WriteAllText(Path.Combine(directory, "aol-user.txt"),
            "cheap flights\t2006-03-01 07:17:12\nhttp://www.example.com\n\nflights to rome\t2006-03-01 07:20:45\n\n", Encoding.UTF8);
    });

    /// <summary>The text2text training files: an items file (one text per line) and a labeled-queries file.</summary>
    public static readonly FuzzTarget Text2TextData = new("text2text-data", input => FuzzScratch.WithFile("data.txt", input, path =>
    {
        Expect(() => Text2TextFormat.ReadItems(path));
        Expect(() =>
        {
            foreach (var query in Text2TextFormat.ReadQueries(path, itemCount: 10))
                if (query.ItemIds.Any(id => (uint)id >= 10u)) throw new InvalidOperationException($"item id out of range in '{query.Text}'");
        });
    }), directory =>
    {
        var catalog = new SyntheticCatalog(categories: 2, perCategory: 5);
        Text2TextFormat.WriteItems(Path.Combine(directory, "items.txt"), catalog.Items);
        Text2TextFormat.WriteQueries(Path.Combine(directory, "queries.txt"), catalog.Queries);
    });
}
