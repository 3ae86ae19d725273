namespace XmrEngine.Hosting.Traffic;

/// <summary>
/// How much traffic the API endpoints take before they refuse more: request rates per caller (429 with
/// <c>Retry-After</c>), a bound on requests worked on at once with a bounded queue behind it (503 with <c>Retry-After</c>
/// when the queue is full, instead of latency growing without bound), and a time limit per request (504; the work is
/// cancelled, between the rows of a batch for a prediction). Health checks, metrics and the page's files are not limited.
/// </summary>
public sealed class ServingTrafficLimits
{
    /// <summary>Requests one API key (or token subject) may make per <see cref="Period"/>, as a token bucket of that size [0: no limit].</summary>
    public int RequestsPerPeriodPerKey { get; set; }

    /// <summary>
    /// Requests one client address may make per <see cref="Period"/> [0: no limit]. Behind a reverse proxy, have
    /// ASP.NET Core's forwarded-headers middleware set the client's address, or every caller shares the proxy's.
    /// </summary>
    public int RequestsPerPeriodPerAddress { get; set; }

    /// <summary>The window the per-key and per-address rates refill over [1 s].</summary>
    public TimeSpan Period { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// API requests worked on at once [4 per core]. A prediction takes one core while it runs, so more than a few per
    /// core only adds latency to all of them.
    /// </summary>
    public int MaxConcurrentRequests { get; set; } = 4 * Environment.ProcessorCount;

    /// <summary>Requests waiting (oldest first) for one of <see cref="MaxConcurrentRequests"/>; past it a request gets 503 [100; 0 for no queue].</summary>
    public int QueueLimit { get; set; } = 100;

    /// <summary>The <c>Retry-After</c> a 503 for a full queue carries [1 s].</summary>
    public TimeSpan BusyRetryAfter { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest time one API request may take before it is cancelled and answered 504 [30 s; <see cref="TimeSpan.Zero"/> for no limit].</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <exception cref="InvalidOperationException">A setting is out of range; the message names it.</exception>
    internal void Validate()
    {
        Check(RequestsPerPeriodPerKey >= 0, nameof(RequestsPerPeriodPerKey), RequestsPerPeriodPerKey, "must be 0 (no limit) or more");
        Check(RequestsPerPeriodPerAddress >= 0, nameof(RequestsPerPeriodPerAddress), RequestsPerPeriodPerAddress, "must be 0 (no limit) or more");
        Check(Period > TimeSpan.Zero, nameof(Period), Period, "must be positive");
        Check(MaxConcurrentRequests >= 1, nameof(MaxConcurrentRequests), MaxConcurrentRequests, "must be at least 1");
        Check(QueueLimit >= 0, nameof(QueueLimit), QueueLimit, "must be 0 or more");
        Check(BusyRetryAfter >= TimeSpan.Zero, nameof(BusyRetryAfter), BusyRetryAfter, "must not be negative");
        Check(RequestTimeout >= TimeSpan.Zero, nameof(RequestTimeout), RequestTimeout, "must not be negative (zero: no limit)");
    }

    // Settings often come from configuration files, so the message names the setting as it is spelt there.
    private static void Check(bool valid, string name, object value, string rule)
    {
        if (!valid) throw new InvalidOperationException($"AddXmrEngine: Traffic.{name} {rule}; got {value}.");
    }
}
