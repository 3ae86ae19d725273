using Microsoft.AspNetCore.Routing;
using XmrEngine.Serving;

namespace XmrEngine.Hosting;

/// <summary>
/// A kind of model the service serves: the format that recognises and opens its files, and the endpoints that answer
/// it. The three built-in kinds (XR-Linear, product retrieval, auto-complete) are registered this way; an application
/// adds its own with <see cref="XmrEngineOptions.AddModelKind"/>, without touching the registry, the loader or the
/// other kinds. Endpoints reach a model through <see cref="ModelRegistry.TryLease"/> and
/// <see cref="ServedModel.Instance"/>, which is the object <see cref="IModelFormat.Open"/> returned.
/// </summary>
public interface IServedModelKind
{
    /// <summary>Recognises and opens the kind's files; its <see cref="IModelFormat.Kind"/> names the kind in routes, status and metrics.</summary>
    IModelFormat Format { get; }

    /// <summary>Maps the kind's endpoints onto the <c>/v1</c> route group (for example <c>/xlinear/{name}/predict</c>).</summary>
    void MapEndpoints(IEndpointRouteBuilder v1);
}
