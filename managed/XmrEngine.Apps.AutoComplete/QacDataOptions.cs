namespace XmrEngine.Apps.AutoComplete;

/// <summary>
/// How a query log becomes training pairs and test cases. Every property checks its value when set, so an
/// instance is always valid; errors name the field.
/// </summary>
public sealed record QacDataOptions
{
    private readonly TimeSpan _sessionGap = SessionBuilder.DefaultGap;
    private readonly double _trainFraction = 0.8;
    private readonly int _maxUsers;
    private readonly double _holdoutUsers;

    /// <summary>A gap longer than this starts a new session [30 minutes].</summary>
    public TimeSpan SessionGap
    {
        get => _sessionGap;
        init => _sessionGap = value > TimeSpan.Zero ? value
            : throw new ArgumentOutOfRangeException(nameof(SessionGap), value, "QacDataOptions.SessionGap must be positive.");
    }

    /// <summary>Share of sessions, earliest first by start time, used for training [0.8]; in (0, 1).</summary>
    public double TrainFraction
    {
        get => _trainFraction;
        init => _trainFraction = value is > 0 and < 1 ? value
            : throw new ArgumentOutOfRangeException(nameof(TrainFraction), value, "QacDataOptions.TrainFraction must be in (0, 1).");
    }

    /// <summary>Seed of the test prefix lengths [0].</summary>
    public int Seed { get; init; }

    /// <summary>
    /// Keep only the first this many users (AOL files) or session ids (TSV), in ordinal id order, for quick
    /// experiments [0 = all].
    /// </summary>
    public int MaxUsers
    {
        get => _maxUsers;
        init => _maxUsers = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(MaxUsers), value, "QacDataOptions.MaxUsers must be 0 (all) or positive.");
    }

    /// <summary>
    /// Share of users (AOL files) or session ids (TSV) kept out of training entirely, chosen by <see cref="Seed"/>
    /// [0 = none]; in [0, 1). Their later sessions (the time split's test part) are the user-disjoint test set.
    /// </summary>
    public double HoldoutUsers
    {
        get => _holdoutUsers;
        init => _holdoutUsers = value is >= 0 and < 1 ? value
            : throw new ArgumentOutOfRangeException(nameof(HoldoutUsers), value, "QacDataOptions.HoldoutUsers must be in [0, 1).");
    }
}
