using System.Globalization;
using XmrEngine.IO;

namespace XmrEngine.Apps.ProductRetrieval;

/// <summary>What <see cref="AolClickConverter.Convert"/> read and wrote.</summary>
/// <param name="Users">User files read.</param>
/// <param name="TestUsers">Users whose queries went to test.txt (the others went to train.txt).</param>
/// <param name="Records">Query records read.</param>
/// <param name="ClickedRecords">Records with a non-empty query and at least one clicked URL (the ones kept).</param>
/// <param name="Items">Distinct clicked sites (lines of items.txt).</param>
/// <param name="TrainQueries">Distinct queries in train.txt.</param>
/// <param name="TestQueries">Distinct queries in test.txt.</param>
/// <param name="TestQueriesSeenInTraining">Test queries whose text also occurs in train.txt (issued by a training user).</param>
/// <param name="TestItemsUnseenInTraining">Sites clicked for some test query but for no training query.</param>
/// <param name="TestItemsTotal">Distinct sites clicked for some test query.</param>
public sealed record AolClickSplit(int Users, int TestUsers, int Records, int ClickedRecords, int Items, int TrainQueries,
    int TestQueries, int TestQueriesSeenInTraining, int TestItemsUnseenInTraining, int TestItemsTotal);

/// <summary>
/// Turns an AOL users directory (one file per user; records <c>query&lt;TAB&gt;YYYY-MM-DD HH:MM:SS</c>, then
/// the clicked URL lines, then a blank line) into text2text files: <c>items.txt</c> (one clicked site per line,
/// <see cref="SiteHost.Normalize"/>, in order of first click over the users in ordinal file-name order),
/// <c>train.txt</c> and <c>test.txt</c> (<c>ids&lt;TAB&gt;query</c>: each distinct query with every site its
/// users clicked for it). The split is by user, not by query: the users are shuffled with the seed and a share
/// of them (rounded) give the test queries, so a test query may also have been typed by a training user, as it
/// would be in service. Queries are normalised as in <see cref="HomeDepotConverter"/>; records without a click
/// or with an empty query are skipped.
/// </summary>
public static class AolClickConverter
{
    private const string TimeFormat = "yyyy-MM-dd HH:mm:ss";

    /// <summary>Reads every user file of <paramref name="usersDirectory"/> and writes the three files into <paramref name="outputDirectory"/>.</summary>
    /// <param name="usersDirectory">The AOL users directory (files starting with '.' are ignored).</param>
    /// <param name="outputDirectory">Where items.txt, train.txt and test.txt go (created if needed).</param>
    /// <param name="seed">Seed of the user shuffle.</param>
    /// <param name="testUsers">Share of users whose queries go to test.txt, in (0, 1).</param>
    /// <exception cref="XmrDataException">A URL line outside a record, a record line with a bad timestamp, a URL
    /// without a host, or no clicked record at all; the message names the file and line.</exception>
    public static AolClickSplit Convert(string usersDirectory, string outputDirectory, int seed = 0, double testUsers = 0.2)
    {
        ArgumentException.ThrowIfNullOrEmpty(usersDirectory);
        ArgumentException.ThrowIfNullOrEmpty(outputDirectory);
        if (!(testUsers > 0 && testUsers < 1)) throw new ArgumentOutOfRangeException(nameof(testUsers), testUsers, "The test-user share must lie in (0, 1).");
        if (!Directory.Exists(usersDirectory)) throw new DirectoryNotFoundException($"{usersDirectory}: no such directory.");
        var files = Directory.GetFiles(usersDirectory).Where(f => !Path.GetFileName(f).StartsWith('.')).ToArray();
        Array.Sort(files, StringComparer.Ordinal);
        if (files.Length == 0) throw new XmrDataException(usersDirectory, null, null, null, "the AOL users directory holds no files");

        var sites = new Dictionary<string, int>(StringComparer.Ordinal);
        var clicksOfUser = new List<List<(string Query, int Site)>>(files.Length);
        int records = 0, clicked = 0;
        foreach (var file in files)
        {
            var clicks = new List<(string, int)>();
            var counts = ReadUser(file, sites, clicks);
            records += counts.Records;
            clicked += counts.Clicked;
            clicksOfUser.Add(clicks);
        }
        if (clicked == 0) throw new XmrDataException(usersDirectory, null, null, "url", "no record has a query and a clicked URL");

        var (trainUsers, testUserIds) = HomeDepotConverter.Split(files.Length, testUsers, seed);
        var train = Group(trainUsers, clicksOfUser);
        var test = Group(testUserIds, clicksOfUser);
        var (unseen, testItems) = Text2TextSplitFiles.Write(outputDirectory, sites.OrderBy(p => p.Value).Select(p => p.Key), train, test);
        var trainTexts = new HashSet<string>(train.Select(q => q.Text), StringComparer.Ordinal);
        return new AolClickSplit(files.Length, testUserIds.Length, records, clicked, sites.Count, train.Count, test.Count,
            test.Count(q => trainTexts.Contains(q.Text)), unseen, testItems);
    }

    /// <summary>Reads one user file: appends one (query, site) pair per click and numbers new sites.</summary>
    private static (int Records, int Clicked) ReadUser(string path, Dictionary<string, int> sites, List<(string, int)> clicks)
    {
        int records = 0, clicked = 0;
        bool inRecord = false, recordClicked = false;
        string query = "";
        using var reader = TextLineReader.Open(path);
        while (reader.TryReadLine(out var line))
        {
            if (line.Length == 0)
            {
                inRecord = false;
                continue;
            }
            int tab = line.LastIndexOf('\t');
            if (tab >= 0)
            {
                var time = line.AsSpan(tab + 1).Trim();
                if (!DateTime.TryParseExact(time, TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
                    throw new XmrDataException(path, reader.LineNumber, null, "timestamp", $"'{Shorten(time.ToString())}' is not a timestamp (expected YYYY-MM-DD HH:MM:SS)");
                records++;
                query = HomeDepotConverter.NormalizeQuery(line[..tab]);
                inRecord = true;
                recordClicked = false;
                continue;
            }
            // A clicked URL belongs to the record above it; anywhere else the file is out of step.
            if (!inRecord)
                throw new XmrDataException(path, reader.LineNumber, null, "record", $"expected 'query<TAB>YYYY-MM-DD HH:MM:SS', got '{Shorten(line)}' (no tab)");
            string host = SiteHost.Normalize(line);
            if (host.Length == 0) throw new XmrDataException(path, reader.LineNumber, null, "url", $"'{Shorten(line)}' has no host");
            if (query.Length == 0) continue;
            if (!sites.TryGetValue(host, out int site))
            {
                site = sites.Count;
                sites.Add(host, site);
            }
            clicks.Add((query, site));
            if (!recordClicked) clicked++;
            recordClicked = true;
        }
        return (records, clicked);
    }

    /// <summary>The distinct queries of the given users, in first-appearance order, each with the set of sites clicked for it.</summary>
    private static List<LabeledQuery> Group(int[] users, List<List<(string Query, int Site)>> clicksOfUser)
    {
        var groups = new QueryItemGroups();
        foreach (int user in users)
            foreach (var (query, site) in clicksOfUser[user]) groups.Add(query, site);
        return groups.ToList();
    }

    private static string Shorten(string s) => s.Length <= 60 ? s : s[..57] + "...";
}
