using System.Globalization;
using System.Text;
using XmrEngine.IO;

namespace XmrEngine.Apps.ProductRetrieval;

/// <summary>What <see cref="HomeDepotConverter.Convert"/> read and wrote.</summary>
/// <param name="Rows">Data rows in the CSV.</param>
/// <param name="KeptPairs">Rows with relevance at or above the threshold.</param>
/// <param name="Items">Distinct products among the kept rows (lines of items.txt).</param>
/// <param name="TrainQueries">Distinct queries in train.txt.</param>
/// <param name="TestQueries">Distinct queries in test.txt.</param>
/// <param name="TestItemsUnseenInTraining">Items relevant to some test query but to no training query.</param>
/// <param name="TestItemsTotal">Distinct items relevant to some test query.</param>
public sealed record HomeDepotSplit(int Rows, int KeptPairs, int Items, int TrainQueries, int TestQueries,
    int TestItemsUnseenInTraining, int TestItemsTotal);

/// <summary>
/// Turns the Home Depot product-search relevance CSV (<c>id,product_uid,product_title,search_term,relevance</c>)
/// into text2text files: <c>items.txt</c> (one product title per line; id = order of first appearance of the
/// product_uid among kept rows), <c>train.txt</c> and <c>test.txt</c> (<c>ids&lt;TAB&gt;query</c>).
/// Rows with relevance below the threshold are dropped; queries are grouped after trimming, collapsing white
/// space and lower-casing; the distinct queries are shuffled with the seed and split (test fraction, rounded).
/// Fields are decoded per field as UTF-8, or Latin-1 when not valid UTF-8 (the file mixes both).
/// </summary>
public static class HomeDepotConverter
{
    private static readonly string[] RequiredColumns = ["product_uid", "product_title", "search_term", "relevance"];

    /// <summary>Reads the CSV and writes the three files into <paramref name="outputDirectory"/> (created if needed).</summary>
    /// <param name="csvPath">The Home Depot train.csv.</param>
    /// <param name="outputDirectory">Where items.txt, train.txt and test.txt go.</param>
    /// <param name="seed">Seed of the query shuffle.</param>
    /// <param name="testFraction">Share of distinct queries in test.txt, in (0, 1).</param>
    /// <param name="minRelevance">Keep rows with relevance at least this.</param>
    /// <exception cref="XmrDataException">A missing column, a record with the wrong field count, an unclosed quote
    /// or a non-numeric relevance; the message names the file and line.</exception>
    public static HomeDepotSplit Convert(string csvPath, string outputDirectory, int seed = 0, double testFraction = 0.2, double minRelevance = 2.5)
    {
        ArgumentException.ThrowIfNullOrEmpty(csvPath);
        ArgumentException.ThrowIfNullOrEmpty(outputDirectory);
        if (!(testFraction > 0 && testFraction < 1)) throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, "The test fraction must lie in (0, 1).");
        if (!File.Exists(csvPath)) throw new FileNotFoundException($"{csvPath}: no such file.", csvPath);
        var reader = new CsvRecordReader(File.ReadAllBytes(csvPath), csvPath);
        var fields = new List<string>();
        if (!reader.TryRead(fields)) throw new XmrDataException(csvPath, 1, null, "header", "the file is empty");
        var column = ColumnIndex(fields, csvPath);
        int width = fields.Count;

        var itemOfProduct = new Dictionary<string, int>(StringComparer.Ordinal);
        var titles = new List<string>();
        var queries = new QueryItemGroups();
        int rows = 0, kept = 0;
        while (reader.TryRead(fields))
        {
            if (fields.Count == 1 && fields[0].Length == 0) continue;
            rows++;
            if (fields.Count != width)
                throw new XmrDataException(csvPath, reader.RecordLine, null, "record", $"has {fields.Count} fields but the header has {width}");
            string relevanceText = fields[column["relevance"]];
            if (!double.TryParse(relevanceText, NumberStyles.Float, CultureInfo.InvariantCulture, out double relevance) || !double.IsFinite(relevance))
                throw new XmrDataException(csvPath, reader.RecordLine, null, "relevance", $"'{relevanceText}' is not a number");
            if (relevance < minRelevance) continue;
            string query = NormalizeQuery(fields[column["search_term"]]);
            string product = fields[column["product_uid"]].Trim();
            if (query.Length == 0 || product.Length == 0) continue;
            kept++;
            if (!itemOfProduct.TryGetValue(product, out int item))
            {
                item = titles.Count;
                itemOfProduct.Add(product, item);
                titles.Add(Text2TextFormat.OneLine(fields[column["product_title"]].Trim()));
            }
            queries.Add(query, item);
        }
        if (kept == 0) throw new XmrDataException(csvPath, null, null, "relevance", $"no row has relevance >= {minRelevance}");

        var (trainIds, testIds) = Split(queries.Count, testFraction, seed);
        var train = trainIds.Select(q => queries[q]).ToList();
        var test = testIds.Select(q => queries[q]).ToList();
        var (unseen, testItems) = Text2TextSplitFiles.Write(outputDirectory, titles, train, test);
        return new HomeDepotSplit(rows, kept, titles.Count, train.Count, test.Count, unseen, testItems);
    }

    /// <summary>Trimmed, runs of white space collapsed to one space, lower-cased (invariant).</summary>
    internal static string NormalizeQuery(string text)
    {
        var sb = new StringBuilder(text.Length);
        bool space = false;
        foreach (char c in text.Trim())
        {
            if (char.IsWhiteSpace(c))
            {
                space = true;
                continue;
            }
            if (space && sb.Length > 0) sb.Append(' ');
            space = false;
            sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }

    /// <summary>Shuffles 0..n-1 with the seed, takes round(n x fraction) for test; both parts keep first-appearance order.</summary>
    internal static (int[] Train, int[] Test) Split(int n, double testFraction, int seed)
    {
        var order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        var random = new Random(seed);
        for (int i = n - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        int testCount = (int)Math.Round(n * testFraction, MidpointRounding.AwayFromZero);
        var test = order[..testCount];
        var train = order[testCount..];
        Array.Sort(test);
        Array.Sort(train);
        return (train, test);
    }

    private static Dictionary<string, int> ColumnIndex(List<string> header, string path)
    {
        var index = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < header.Count; i++) index.TryAdd(header[i].Trim(), i);
        foreach (var name in RequiredColumns)
            if (!index.ContainsKey(name))
                throw new XmrDataException(path, 1, null, "header", $"column '{name}' is missing; expected {string.Join(',', RequiredColumns)} (and any others)");
        return index;
    }
}
