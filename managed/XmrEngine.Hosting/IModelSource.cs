using XmrEngine.Serving;

namespace XmrEngine.Hosting;

/// <summary>
/// A kind of small file that points a model name at a model served from elsewhere (a cluster) instead of holding
/// the model. The assembly that knows how to reach the model implements it and registers it with
/// <see cref="XmrEngineOptions.AddModelSource"/>, so this library depends on no transport (no Orleans).
/// </summary>
public interface IModelSource
{
    /// <summary>
    /// The end of the file names this source claims, starting with '.' (for example <c>.cluster.json</c>): a file
    /// <c>NAME{suffix}</c> in the models folder is served as <c>NAME</c>, and <see cref="XmrEngineOptions.AddModel"/>
    /// given such a path uses this source too.
    /// </summary>
    string FileSuffix { get; }

    /// <summary>
    /// Reads the file at <paramref name="path"/> and opens the model it names, ready to answer. Called again when
    /// the file changes or a reload is asked for; the old model keeps serving until the new one has opened.
    /// </summary>
    /// <param name="path">The full path of the file.</param>
    /// <param name="cancellationToken">Cancelled when the service stops.</param>
    /// <returns>The model (of a kind the service serves, such as an <see cref="XLinearServingModel"/> whose shards are
    /// remote); the registry disposes it when the last request using it is done.</returns>
    /// <exception cref="Exception">Anything but cancellation is a failed load: its message, which should name the
    /// file and the field at fault, becomes the model's status error and requests for it get 503.</exception>
    Task<IServableModel> OpenAsync(string path, CancellationToken cancellationToken);
}
