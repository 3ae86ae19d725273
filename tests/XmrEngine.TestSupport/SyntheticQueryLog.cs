using System.Globalization;
using System.Text;

namespace XmrEngine.Tests.Apps.AutoComplete;

/// <summary>
/// A small query log where the previous query decides the next one, while popularity alone cannot:
/// topic i has a context query ("context{i} alpha{i}") always followed by its target
/// ("{letter}target {i}"), and ten targets share each first letter. Topics are drawn with skewed
/// frequencies, so most-popular completion ranks the frequent targets first whatever the context.
/// </summary>
public static class SyntheticQueryLog
{
    public const int Topics = 40;

    public static string Context(int topic) => $"context{topic} alpha{topic}";

    public static string Target(int topic) => $"{(char)('a' + topic % 4)}target {topic}";

    /// <summary>Writes a TSV log with <paramref name="sessions"/> two-query sessions, one hour apart.</summary>
    public static void WriteTsv(string path, int sessions, int seed)
    {
        var rng = new Random(seed);
        var start = new DateTime(2020, 1, 1);
        var sb = new StringBuilder("session\ttime\tquery\n");
        for (int s = 0; s < sessions; s++)
        {
            // Skew: topic i has weight (i % 10) + 1.
            int topic;
            do topic = rng.Next(Topics); while (rng.Next(10) > topic % 10);
            var t = start.AddHours(s);
            sb.Append(CultureInfo.InvariantCulture, $"u{s % 97}\t{t:yyyy-MM-dd HH:mm:ss}\t{Context(topic)}\n");
            sb.Append(CultureInfo.InvariantCulture, $"u{s % 97}\t{t.AddMinutes(2):yyyy-MM-dd HH:mm:ss}\t{Target(topic)}\n");
        }
        File.WriteAllText(path, sb.ToString());
    }
}
