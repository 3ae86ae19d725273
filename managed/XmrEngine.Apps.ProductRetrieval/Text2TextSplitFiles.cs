namespace XmrEngine.Apps.ProductRetrieval;

/// <summary>The three files a converter writes: <c>items.txt</c>, <c>train.txt</c> and <c>test.txt</c>, and what the split leaves unseen.</summary>
internal static class Text2TextSplitFiles
{
    /// <summary>The file names, in the order they are written.</summary>
    public static readonly string[] Names = ["items.txt", "train.txt", "test.txt"];

    /// <summary>
    /// Writes the files into <paramref name="outputDirectory"/> (created if needed) and returns how many of the items
    /// relevant to some test query are relevant to no training query, and how many items test queries have in all.
    /// </summary>
    public static (int TestItemsUnseenInTraining, int TestItemsTotal) Write(string outputDirectory, IEnumerable<string> items,
        IReadOnlyList<LabeledQuery> train, IReadOnlyList<LabeledQuery> test)
    {
        Directory.CreateDirectory(outputDirectory);
        Text2TextFormat.WriteItems(Path.Combine(outputDirectory, Names[0]), items);
        Text2TextFormat.WriteQueries(Path.Combine(outputDirectory, Names[1]), train);
        Text2TextFormat.WriteQueries(Path.Combine(outputDirectory, Names[2]), test);
        var seen = new HashSet<int>(train.SelectMany(q => q.ItemIds));
        var testItems = new HashSet<int>(test.SelectMany(q => q.ItemIds));
        return (testItems.Count(i => !seen.Contains(i)), testItems.Count);
    }
}
