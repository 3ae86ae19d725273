using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace XmrEngine.Hosting;

/// <summary>
/// Ready when every configured model has a serving version, or, under <see cref="ReadinessRule.AnyModel"/>, when one
/// has (the others named, "Degraded", which answers 200); lists the ones that do not.
/// </summary>
internal sealed class ModelsReadyHealthCheck(ModelRegistry registry, XmrEngineOptions options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var models = registry.Describe();
        if (models.Count == 0) return Task.FromResult(HealthCheckResult.Unhealthy("No model is configured or found yet."));
        var missing = models.Where(m => !m.Loaded).Select(m => m.Name).ToArray();
        if (missing.Length == 0) return Task.FromResult(HealthCheckResult.Healthy($"{models.Count} models loaded."));
        string description = $"Not loaded: {string.Join(", ", missing)}.";
        bool someServe = missing.Length < models.Count;
        return Task.FromResult(options.Readiness == ReadinessRule.AnyModel && someServe
            ? HealthCheckResult.Degraded(description)
            : HealthCheckResult.Unhealthy(description));
    }
}
