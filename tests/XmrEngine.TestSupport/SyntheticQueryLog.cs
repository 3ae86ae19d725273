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

    /// <summary>A popular query that follows an uninformative context: "{letter}popular {j}".</summary>
    public static string Popular(int j) => $"{(char)('a' + j % 4)}popular {j}";

    /// <summary>
    /// A log where each source is right for part of the traffic: half the sessions are a topic's context followed
    /// by its target (topics uniform, so popularity cannot tell them apart and the previous query decides), the
    /// other half a one-off context ("noise{n}", never repeated) followed by a popular query drawn with a steep skew
    /// (popular query j has weight 1 / (j + 1)^2), which only popularity predicts. Users are "u{s % users}".
    /// </summary>
    public static void WriteMixedTsv(string path, int sessions, int seed, int users = 200)
    {
        var rng = new Random(seed);
        var start = new DateTime(2020, 1, 1);
        var sb = new StringBuilder("session\ttime\tquery\n");
        for (int s = 0; s < sessions; s++)
        {
            string context, next;
            if (rng.Next(2) == 0)
            {
                int topic = rng.Next(Topics);
                (context, next) = (Context(topic), Target(topic));
            }
            else
            {
                int j;
                do j = rng.Next(12); while (rng.NextDouble() > 1.0 / ((j + 1) * (j + 1)));
                (context, next) = ($"noise{s} word{rng.Next(1000)}", Popular(j));
            }
            var t = start.AddHours(s);
            sb.Append(CultureInfo.InvariantCulture, $"u{s % users}\t{t:yyyy-MM-dd HH:mm:ss}\t{context}\n");
            sb.Append(CultureInfo.InvariantCulture, $"u{s % users}\t{t.AddMinutes(2):yyyy-MM-dd HH:mm:ss}\t{next}\n");
        }
        File.WriteAllText(path, sb.ToString());
    }
}
