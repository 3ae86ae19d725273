namespace XmrEngine.Serving;

/// <summary>
/// A query sent to a model is malformed: a feature id out of range or given twice, a value that is not finite,
/// ids and values of different lengths, or too many feature columns. <see cref="Field"/> names the part at fault
/// (for example <c>indices[3]</c>) so a front end can point at it in its own request (an HTTP server prefixes it
/// with the row: <c>rows[2].indices[3]</c>).
/// </summary>
public sealed class InvalidQueryException : ArgumentException
{
    /// <summary>A query is malformed at <paramref name="field"/>: <paramref name="problem"/>.</summary>
    public InvalidQueryException(string field, string problem)
        : base($"{field}: {problem}")
    {
        Field = field;
        Problem = problem;
    }

    /// <summary>The part of the query at fault (<c>indices</c>, <c>indices[3]</c>, <c>values[0]</c>, <c>features</c>).</summary>
    public string Field { get; }

    /// <summary>What is wrong, without the field.</summary>
    public string Problem { get; }
}
