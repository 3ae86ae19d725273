using XmrEngine.Hosting;

namespace XmrEngine.Cluster.Serving;

/// <summary>Lets the hosting library serve model names from Orleans clusters.</summary>
public static class XmrEngineOptionsClusterExtensions
{
    /// <summary>
    /// Serves every <c>NAME.cluster.json</c> file (<see cref="ClusterModelFile"/>) in the models folder, or added by
    /// path, as the XR-Linear model <c>NAME</c> answered by the cluster it names; hot-swapped when the file changes.
    /// </summary>
    /// <example>
    /// <code>
    /// services.AddXmrEngine(o => { o.ModelsDirectory = "/srv/models"; o.AddClusterModels(); });
    /// </code>
    /// </example>
    public static XmrEngineOptions AddClusterModels(this XmrEngineOptions options, ClusterModelOptions? cluster = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.AddModelSource(new ClusterModelSource(cluster));
    }
}
