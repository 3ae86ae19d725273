using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;

namespace XmrEngine.Benchmarks;

/// <summary>
/// One launch, one warm-up and three measured iterations, one invocation each: an end-to-end
/// operation takes 0.1 to a few seconds, and the 2-core machine is shared, so the whole end-to-end
/// suite must finish in a few minutes. Min and Median are reported next to the mean.
/// </summary>
public sealed class EndToEndConfig : ManualConfig
{
    /// <summary>Creates the configuration.</summary>
    public EndToEndConfig()
    {
        AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(1).WithIterationCount(3)
            .WithInvocationCount(1).WithUnrollFactor(1).WithId("e2e"));
        // On a shared machine the fastest iteration is the one least slowed by other jobs.
        AddColumn(StatisticColumn.Min, StatisticColumn.Median);
        WithOptions(ConfigOptions.DisableOptimizationsValidator);
    }
}
