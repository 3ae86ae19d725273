namespace XmrEngine.IO;

/// <summary>
/// A data file is malformed or does not fit the engine's limits. The message always names the file and,
/// where they apply, the 1-based line, the archive member, the field and what is wrong, for example
/// <c>train.txt: line 17: feature id: 1836 is out of range [0, 1836) (header says F = 1836)</c>.
/// The same facts are available as properties for programs that want to react to them.
/// It is the one exception the library raises for a malformed, truncated, corrupt, inconsistent or missing part
/// of a data, model or configuration file.
/// </summary>
/// <remarks>
/// It derives from <see cref="Exception"/>, not from <see cref="InvalidDataException"/> (which loaders raised
/// before), because <see cref="InvalidDataException"/> is sealed. Callers that caught that type for a bad model
/// or vectorizer file must catch this one instead; <see cref="InvalidDataException"/> now comes only from the
/// runtime (zip, deflate) and the library wraps it wherever it reads such data.
/// </remarks>
public sealed class XmrDataException : Exception
{
    /// <summary>The file that was being read or written.</summary>
    public string FilePath { get; }

    /// <summary>The 1-based line number for text formats, or <c>null</c>.</summary>
    public long? LineNumber { get; }

    /// <summary>The archive member (for example <c>indices.npy</c>) for NPZ files, or <c>null</c>.</summary>
    public string? Member { get; }

    /// <summary>The field that is wrong (for example <c>feature id</c>, <c>header</c>, <c>descr</c>), or <c>null</c>.</summary>
    public string? Field { get; }

    /// <summary>What is wrong, without the location prefix.</summary>
    public string Problem { get; }

    /// <summary>Creates the exception; the message is composed from the location and the problem.</summary>
    /// <param name="filePath">The file being read or written.</param>
    /// <param name="lineNumber">1-based line number, or <c>null</c>.</param>
    /// <param name="member">Archive member name, or <c>null</c>.</param>
    /// <param name="field">The offending field, or <c>null</c>.</param>
    /// <param name="problem">What is wrong.</param>
    /// <param name="inner">The lower-level exception that revealed the problem, if any.</param>
    public XmrDataException(string filePath, long? lineNumber, string? member, string? field, string problem, Exception? inner = null)
        : base(Compose(filePath, lineNumber, member, field, problem), inner)
    {
        FilePath = filePath;
        LineNumber = lineNumber;
        Member = member;
        Field = field;
        Problem = problem;
    }

    private static string Compose(string filePath, long? lineNumber, string? member, string? field, string problem)
    {
        var parts = new List<string>(4) { filePath };
        if (lineNumber is long line) parts.Add($"line {line}");
        if (member is not null) parts.Add($"member '{member}'");
        if (field is not null) parts.Add(field);
        parts.Add(problem);
        return string.Join(": ", parts);
    }
}
