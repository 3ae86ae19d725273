namespace XmrEngine.Apps.AutoComplete;

/// <summary>Which test sessions <see cref="QacModel.TestCases"/> draws from.</summary>
public enum QacTestSplit
{
    /// <summary>The trained users' own later sessions (the time split's test part).</summary>
    Time,

    /// <summary>The held-out users' sessions in the test period: users the model never saw (<see cref="QacDataOptions.HoldoutUsers"/>).</summary>
    HeldOutUsers,
}
