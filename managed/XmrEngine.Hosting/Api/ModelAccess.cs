using Microsoft.AspNetCore.Http.HttpResults;

namespace XmrEngine.Hosting.Api;

/// <summary>Takes a request's lease on a model of the kind its endpoint serves, or says why it cannot.</summary>
internal static class ModelAccess
{
    public static bool TryLease(ModelRegistry registry, string name, ModelKind kind, out ModelLease lease, out ProblemHttpResult? problem)
    {
        lease = null!;
        problem = null;
        var status = registry.Describe(name);
        if (status is null)
        {
            problem = Problems.UnknownModel(name, kind.ToName());
            return false;
        }
        if (!registry.TryLease(name, out var taken))
        {
            problem = Problems.NotLoaded(status);
            return false;
        }
        if (taken!.Model.Kind != kind)
        {
            problem = Problems.WrongKind(name, taken.Model.Kind, kind.ToName());
            taken.Dispose();
            return false;
        }
        lease = taken;
        return true;
    }

    /// <summary>The metric label for a requested name: the name when it is configured, else "unknown" (bounded cardinality).</summary>
    public static string MetricName(ModelRegistry registry, string name) => registry.Describe(name) is null ? "unknown" : name;
}
