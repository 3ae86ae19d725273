using System.CommandLine;
using XmrEngine.Apps.AutoComplete;

namespace XmrEngine.Cli.Commands.Qac;

/// <summary>The options that turn a query log into sessions and a time split (shared by qac train).</summary>
internal sealed class QacDataArguments
{
    private static readonly QacDataOptions Defaults = new();

    public Option<string> Logs { get; } = new("--input", "-i")
    {
        Description = "Query log: an AOL users directory (one file per user) or a TSV file 'id<TAB>timestamp<TAB>query'.",
        Required = true,
    };

    public Option<double> SessionGap { get; } = new("--session-gap") { Description = "Minutes of silence that end a session.", DefaultValueFactory = _ => Defaults.SessionGap.TotalMinutes };

    public Option<double> TrainFraction { get; } = new("--train-fraction") { Description = "Share of sessions (earliest first) used for training.", DefaultValueFactory = _ => Defaults.TrainFraction };

    public Option<int> Users { get; } = new("--users") { Description = "Use only the first N users / session ids (ordinal order); 0 = all.", DefaultValueFactory = _ => 0 };

    public Option<double> HoldoutUsers { get; } = new("--holdout-users")
    {
        Description = "Share of users (or TSV session ids), chosen by --seed, kept out of training entirely; qac evaluate then scores on their test-period sessions by default.",
        DefaultValueFactory = _ => 0,
    };

    public IEnumerable<Option> All => [Logs, SessionGap, TrainFraction, Users, HoldoutUsers];

    public QacDataOptions Read(ParseResult result, int seed)
    {
        double gap = result.GetValue(SessionGap);
        if (!(gap > 0) || double.IsInfinity(gap)) throw new ArgumentException($"--session-gap must be a positive number of minutes; got {gap}.");
        return new QacDataOptions
        {
            SessionGap = TimeSpan.FromMinutes(gap),
            TrainFraction = result.GetValue(TrainFraction),
            Seed = seed,
            MaxUsers = result.GetValue(Users),
            HoldoutUsers = result.GetValue(HoldoutUsers),
        };
    }
}
