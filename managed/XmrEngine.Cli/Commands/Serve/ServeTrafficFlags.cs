using System.CommandLine;
using XmrEngine.Hosting.Traffic;

namespace XmrEngine.Cli.Commands.Serve;

/// <summary>
/// <c>xmr serve</c>'s flags for how much traffic it takes. Each one given overrides the configuration's value
/// (<c>XmrEngine:Traffic</c> in appsettings.json or the environment), which overrides the library's default.
/// </summary>
internal sealed class ServeTrafficFlags
{
    private readonly Option<int?> _perKey = new("--rate-per-key") { Description = "Requests per second one API key may make (0: no limit) [0]." };
    private readonly Option<int?> _perAddress = new("--rate-per-address") { Description = "Requests per second one client address may make (0: no limit) [0]." };
    private readonly Option<int?> _concurrent = new("--max-concurrent") { Description = "API requests worked on at once [4 per core]." };
    private readonly Option<int?> _queue = new("--queue") { Description = "Requests that may wait for a slot; past it they get 503 with Retry-After [100]." };
    private readonly Option<double?> _timeout = new("--request-timeout") { Description = "Seconds one API request may take before it is cancelled with 504 (0: no limit) [30]." };

    public IEnumerable<Option> All => [_perKey, _perAddress, _concurrent, _queue, _timeout];

    /// <summary>The flags given, checked now; the library checks the combination at start.</summary>
    public Action<ServingTrafficLimits> Read(ParseResult result)
    {
        int? perKey = AtLeast(result.GetValue(_perKey), 0, "--rate-per-key"), perAddress = AtLeast(result.GetValue(_perAddress), 0, "--rate-per-address");
        int? concurrent = AtLeast(result.GetValue(_concurrent), 1, "--max-concurrent"), queue = AtLeast(result.GetValue(_queue), 0, "--queue");
        double? timeout = result.GetValue(_timeout);
        if (timeout is { } t && !(t >= 0 && t <= TimeSpan.MaxValue.TotalSeconds / 2))
            throw new ArgumentException($"--request-timeout must be 0 or more seconds; got {t}.");
        return traffic =>
        {
            // Rates are per second here; the library counts them per Period, so the period is one second when one is given.
            if (perKey is not null || perAddress is not null) traffic.Period = TimeSpan.FromSeconds(1);
            if (perKey is { } k) traffic.RequestsPerPeriodPerKey = k;
            if (perAddress is { } a) traffic.RequestsPerPeriodPerAddress = a;
            if (concurrent is { } c) traffic.MaxConcurrentRequests = c;
            if (queue is { } q) traffic.QueueLimit = q;
            if (timeout is { } s) traffic.RequestTimeout = TimeSpan.FromSeconds(s);
        };
    }

    private static int? AtLeast(int? value, int min, string flag) =>
        value is { } v && v < min ? throw new ArgumentException($"{flag} must be {min} or more; got {v}.") : value;
}
