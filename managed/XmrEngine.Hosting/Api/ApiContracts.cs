namespace XmrEngine.Hosting.Api;

/// <summary>Body of <c>POST /v1/xlinear/{name}/predict</c>.</summary>
internal sealed class PredictRequest
{
    /// <summary>The sparse query rows (required, at least one).</summary>
    public List<SparseRowRequest?>? Rows { get; set; }

    /// <summary>Labels per row; the model's saved default when absent.</summary>
    public int? TopK { get; set; }

    /// <summary>Beam width; the model's saved default when absent.</summary>
    public int? BeamSize { get; set; }
}

/// <summary>One sparse row: feature ids and their values, aligned.</summary>
internal sealed class SparseRowRequest
{
    /// <summary>Feature ids in [0, feature count), each at most once, in any order.</summary>
    public int[]? Indices { get; set; }

    /// <summary>Finite values, one per id.</summary>
    public float[]? Values { get; set; }
}

/// <summary>One ranked label; with the model's calibrated probability that it is relevant when the model was trained with
/// calibration (left out of the JSON otherwise, so answers of other models are what they were).</summary>
internal sealed record LabelScore(int Label, float Score,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    [property: System.ComponentModel.Description("Calibrated probability that the label is relevant; present only when the model was trained with calibration (xmr train --calibrate).")]
    float? Probability = null);

/// <summary>Answer of the predict endpoint: one list per request row, best first.</summary>
internal sealed record PredictResponse(string Model, string Version, IReadOnlyList<LabelScore[]> Results);

/// <summary>One product of a search.</summary>
internal sealed record ProductHit(int Id, string Text, float Score);

/// <summary>Answer of the product search endpoint, best first.</summary>
internal sealed record SearchResponse(string Model, string Version, ProductHit[] Results);

/// <summary>One auto-complete suggestion and where it came from (model, popular, ranker, ...).</summary>
internal sealed record SuggestionItem(string Text, float Score, string Source);

/// <summary>Answer of the suggest endpoint, best first, with the server-side time to compute it.</summary>
internal sealed record SuggestResponse(string Model, string Version, SuggestionItem[] Suggestions, double ElapsedMs);

/// <summary>One model in <c>GET /v1/models</c>.</summary>
internal sealed record ModelInfo(string Name, string? Kind, string Path, bool Loaded, string? Version, DateTimeOffset? LoadedAt,
    int LabelCount, int Reloads, string? LastError, DateTimeOffset? LastErrorAt);

/// <summary>Answer of <c>GET /v1/models</c>.</summary>
internal sealed record ModelsResponse(ModelInfo[] Models);

/// <summary>Answer of <c>POST /v1/models/{name}/reload</c>.</summary>
internal sealed record ReloadResponse(string Name, string Outcome, ModelInfo Model);
