namespace XmrEngine.Hosting;

/// <summary>Where a served model lives on disk and what it is called in the endpoints.</summary>
public sealed record ModelLocation
{
    /// <summary>A model named <paramref name="name"/> at <paramref name="path"/>; <paramref name="kind"/> (a kind's name, such as <c>xlinear</c>) null to detect it.</summary>
    /// <exception cref="ArgumentException">The name is empty, starts with '.', or holds characters other than letters, digits, '-', '_' and '.'.</exception>
    public ModelLocation(string name, string path, string? kind = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!IsValidName(name))
            throw new ArgumentException($"Model name '{name}' is not allowed: use letters, digits, '-', '_' and '.', not starting with '.'.", nameof(name));
        Name = name;
        Path = System.IO.Path.GetFullPath(path);
        Kind = kind;
    }

    /// <summary>The name in the endpoints' <c>{name}</c>.</summary>
    public string Name { get; }

    /// <summary>The model file or directory (full path).</summary>
    public string Path { get; }

    /// <summary>The kind's name, or null when it is read from the files.</summary>
    public string? Kind { get; }

    /// <summary>True for a name the endpoints can carry in a path segment.</summary>
    public static bool IsValidName(string? name)
    {
        if (string.IsNullOrEmpty(name) || name[0] == '.' || name.Length > 200) return false;
        foreach (char c in name)
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')) return false;
        return true;
    }
}
