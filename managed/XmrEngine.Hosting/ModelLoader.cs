using XmrEngine.IO;
using XmrEngine.Serving;

namespace XmrEngine.Hosting;

/// <summary>Loads one version of a model, fully verified, before anything may serve it.</summary>
internal static class ModelLoader
{
    private const int Attempts = 3;

    /// <summary>
    /// Opens the model at <paramref name="location"/> with the format that recognises it (the location's kind, when
    /// given, must match). When the files change while loading (their fingerprint — sizes and times, no content read —
    /// differs before and after) the load is repeated, so the version named is the one loaded.
    /// </summary>
    /// <exception cref="XmrDataException">The files are malformed, truncated or fail a checksum.</exception>
    /// <exception cref="IOException">The files are missing, unreadable, or hold no model of a served kind.</exception>
    public static ServedModel Load(ModelLocation location, ModelFormats formats, ModelOpenOptions open)
    {
        for (int attempt = 1; ; attempt++)
        {
            var format = Format(location, formats);
            string before = ModelVersion.Fingerprint(location.Path);
            var model = new ServedModel(location.Name, format.Open(location.Path, open));
            if (ModelVersion.Fingerprint(location.Path) == before || attempt == Attempts) return model;
            model.Release(); // replaced while we read it: load the newer files
        }
    }

    /// <summary>
    /// Loads the model at <paramref name="location"/>: through <paramref name="source"/> when one claims its file
    /// (the file points at a model served elsewhere), else from the files themselves (<see cref="Load"/>). Either
    /// way on the thread pool, since opening reads and verifies files synchronously.
    /// </summary>
    public static async Task<ServedModel> LoadAsync(ModelLocation location, ModelFormats formats, ModelOpenOptions open, IModelSource? source, CancellationToken cancel)
    {
        if (source is null) return await Task.Run(() => Load(location, formats, open), cancel).ConfigureAwait(false);
        var remote = await Task.Run(() => source.OpenAsync(location.Path, cancel), cancel).ConfigureAwait(false);
        if (formats.Find(remote.Kind) is null)
        {
            remote.Dispose();
            throw new IOException($"{location.Path}: names a model of kind '{remote.Kind}', which this service does not serve.");
        }
        return new ServedModel(location.Name, remote);
    }

    private static IModelFormat Format(ModelLocation location, ModelFormats formats)
    {
        var detected = formats.Detect(location.Path) ?? throw new IOException(
            $"{location.Path}: holds no model ({string.Join("; or ", formats.All.Select(f => f.Description))}).");
        if (location.Kind is { } kind && !string.Equals(kind, detected.Kind, StringComparison.Ordinal))
            throw new IOException($"{location.Path}: holds a '{detected.Kind}' model, but it was added as '{kind}'.");
        return detected;
    }
}
