using System.Text.Json;
using XmrEngine.Inference;
using XmrEngine.IO;
using XmrEngine.Models;

namespace XmrEngine.Cli;

/// <summary>Loads a model for the CLI: an XmrEngine model file, or a PECOS XLinearModel directory.</summary>
internal static class ModelFiles
{
    /// <summary>The model and the prediction settings saved with it (PECOS's, or those `xmr train` wrote).</summary>
    public static (XLinearModel Model, PredictOptions Saved) Load(string path)
    {
        if (Directory.Exists(path))
        {
            var pecos = PecosModelDirectory.Load(path, NpzFormat.ReadCsc);
            return (pecos.Model, pecos.Options);
        }
        var model = XLinearModelFile.Load(path, out var metadata);
        return (model, FromMetadata(metadata, path));
    }

    private static PredictOptions FromMetadata(string? json, string path)
    {
        var options = PredictOptions.Default;
        if (string.IsNullOrEmpty(json)) return options;
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            if (root.TryGetProperty("beam_size", out var b)) options = options with { BeamSize = b.GetInt32() };
            if (root.TryGetProperty("top_k", out var k)) options = options with { TopK = k.GetInt32() };
            if (root.TryGetProperty("post_processor", out var p)) options = options with { PostProcessor = PostProcessor.Parse(p.GetString() ?? "l3-hinge") };
            return options;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            throw new XmrDataException(path, null, "metadata", "json", $"the model's metadata is not valid: {ex.Message}");
        }
    }
}
