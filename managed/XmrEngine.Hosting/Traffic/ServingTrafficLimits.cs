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

    internal void Validate()
    {
        if (RequestsPerPeriodPerKey < 0) throw new ArgumentOutOfRangeException(nameof(RequestsPerPeriodPerKey), RequestsPerPeriodPerKey, "Must be 0 (no limit) or more.");
        if (RequestsPerPeriodPerAddress < 0) throw new ArgumentOutOfRangeException(nameof(RequestsPerPeriodPerAddress), RequestsPerPeriodPerAddress, "Must be 0 (no limit) or more.");
        if (Period <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(Period), Period, "Must be positive.");
        if (MaxConcurrentRequests < 1) throw new ArgumentOutOfRangeException(nameof(MaxConcurrentRequests), MaxConcurrentRequests, "Must be at least 1.");
        if (QueueLimit < 0) throw new ArgumentOutOfRangeException(nameof(QueueLimit), QueueLimit, "Must be 0 or more.");
        if (BusyRetryAfter < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(BusyRetryAfter), BusyRetryAfter, "Must not be negative.");
        if (RequestTimeout < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(RequestTimeout), RequestTimeout, "Must not be negative (zero: no limit).");
    }
}
