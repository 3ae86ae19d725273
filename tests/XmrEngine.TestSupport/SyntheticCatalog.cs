using XmrEngine.Apps.ProductRetrieval;

namespace XmrEngine.Tests.Apps.ProductRetrieval;

/// <summary>
/// A small seeded product catalogue: <c>categories x perCategory</c> items titled "{category} {brand} {model}",
/// where every model word is unique to its item, and two training queries per item ("{category} {model}",
/// "{brand} {model}") except for the held-out items, which no training query mentions.
/// </summary>
public sealed class SyntheticCatalog
{
    public SyntheticCatalog(int categories = 8, int perCategory = 8, int seed = 7, params int[] heldOut)
    {
        var random = new Random(seed);
        var used = new HashSet<string>();
        CategoryWords = Enumerable.Range(0, categories).Select(_ => Word(random, used, 3)).ToArray();
        var brands = Enumerable.Range(0, 5).Select(_ => Word(random, used, 2)).ToArray();
        int n = categories * perCategory;
        Category = new int[n];
        Brand = new string[n];
        Model = new string[n];
        Items = new string[n];
        for (int i = 0; i < n; i++)
        {
            Category[i] = i / perCategory;
            Brand[i] = brands[random.Next(brands.Length)];
            Model[i] = Word(random, used, 3);
            Items[i] = $"{CategoryWords[Category[i]]} {Brand[i]} {Model[i]}";
        }
        HeldOut = heldOut;
        var queries = new List<LabeledQuery>();
        for (int i = 0; i < n; i++)
        {
            if (heldOut.Contains(i)) continue;
            queries.Add(new LabeledQuery($"{CategoryWords[Category[i]]} {Model[i]}", [i]));
            queries.Add(new LabeledQuery($"{Brand[i]} {Model[i]}", [i]));
        }
        // A few broad queries with several relevant items, as real search logs have.
        for (int c = 0; c < categories; c++)
            queries.Add(new LabeledQuery(CategoryWords[c], [.. Enumerable.Range(c * perCategory, perCategory).Where(i => !heldOut.Contains(i))]));
        Queries = queries;
    }

    public string[] Items { get; }

    public string[] CategoryWords { get; }

    public int[] Category { get; }

    public string[] Brand { get; }

    public string[] Model { get; }

    public int[] HeldOut { get; }

    public List<LabeledQuery> Queries { get; }

    private static string Word(Random random, HashSet<string> used, int syllables)
    {
        const string consonants = "bdfgklmnprstvz", vowels = "aeiou";
        while (true)
        {
            var chars = new char[syllables * 2];
            for (int s = 0; s < syllables; s++)
            {
                chars[2 * s] = consonants[random.Next(consonants.Length)];
                chars[2 * s + 1] = vowels[random.Next(vowels.Length)];
            }
            var word = new string(chars);
            if (used.Add(word)) return word;
        }
    }
}
