namespace XmrEngine.Tests.Support;

/// <summary>The moments at which the crash tests kill a saving child process.</summary>
public static class KillMoments
{
    /// <summary>How many extra kills right at the start of a save are tried when none of the planned ones landed.</summary>
    public const int ExtraAttempts = 12;

    /// <summary>
    /// Yields <paramref name="planned"/> (ms after the save starts; negative = during training), then, while
    /// <paramref name="anyLandedInSave"/> is still false, up to <see cref="ExtraAttempts"/> more zero delays. A fast
    /// machine can finish a small save between two polls of the file system; retrying keeps the test's claim ("some
    /// kill landed inside a save") checkable there instead of flaky, and it still fails if no kill ever lands.
    /// </summary>
    public static IEnumerable<double> Planned(IEnumerable<double> planned, Func<bool> anyLandedInSave)
    {
        foreach (double delay in planned) yield return delay;
        for (int i = 0; i < ExtraAttempts && !anyLandedInSave(); i++) yield return 0;
    }
}
