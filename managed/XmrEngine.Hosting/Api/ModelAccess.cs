using Microsoft.AspNetCore.Http.HttpResults;
using XmrEngine.Serving;

namespace XmrEngine.Hosting.Api;

/// <summary>Takes a request's lease on a model of the kind its endpoint serves, or says why it cannot.</summary>
internal static class ModelAccess
{
    /// <summary>A lease on <paramref name="name"/> when it is a loaded <typeparamref name="TModel"/> of kind <paramref name="kind"/>.</summary>
    public static bool TryLease<TModel>(ModelRegistry registry, string name, string kind, out ModelLease lease, out TModel model, out ProblemHttpResult? problem)
        where TModel : class, IServableModel
    {
        lease = null!;
        model = null!;
        problem = null;
        var status = registry.Describe(name);
        if (status is null)
        {
            problem = Problems.UnknownModel(name, kind);
            return false;
        }
        if (!registry.TryLease(name, out var taken))
        {
            problem = Problems.NotLoaded(ClientPaths.Redact(status, registry.Options));
            return false;
        }
        if (taken!.Model.Instance is not TModel typed || taken.Model.Kind != kind)
        {
            problem = Problems.WrongKind(name, taken.Model.Kind, kind);
            taken.Dispose();
            return false;
        }
        lease = taken;
        model = typed;
        return true;
    }

    /// <summary>The metric label for a requested name: the name when it is configured, else "unknown" (bounded cardinality).</summary>
    public static string MetricName(ModelRegistry registry, string name) => registry.Describe(name) is null ? "unknown" : name;
}
