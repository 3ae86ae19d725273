using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace XmrEngine.Hosting;

/// <summary>Ready when every configured model has a serving version; lists the ones that do not.</summary>
internal sealed class ModelsReadyHealthCheck(ModelRegistry registry) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var models = registry.Describe();
        if (models.Count == 0) return Task.FromResult(HealthCheckResult.Unhealthy("No model is configured or found yet."));
        var missing = models.Where(m => !m.Loaded).Select(m => m.Name).ToArray();
        return Task.FromResult(missing.Length == 0
            ? HealthCheckResult.Healthy($"{models.Count} models loaded.")
            : HealthCheckResult.Unhealthy($"Not loaded: {string.Join(", ", missing)}."));
    }
}
