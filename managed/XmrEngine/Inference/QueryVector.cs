namespace XmrEngine.Inference;

/// <summary>
/// A validated query for one prediction: sorted feature ids below the model's feature count, finite
/// values, plus the bias value appended as feature <c>FeatureCount</c>.
/// </summary>
internal readonly ref struct QueryVector
{
    public ReadOnlySpan<int> Indices { get; }
    public ReadOnlySpan<float> Values { get; }
    public float Bias { get; }

    public QueryVector(ReadOnlySpan<int> indices, ReadOnlySpan<float> values, float bias)
    {
        Indices = indices;
        Values = values;
        Bias = bias;
    }
}
