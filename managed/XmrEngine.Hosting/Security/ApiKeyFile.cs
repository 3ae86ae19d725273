namespace XmrEngine.Hosting.Security;

/// <summary>
/// Reads a key file: one <c>ROLE KEY</c> pair per line (roles <c>admin</c> and <c>query</c>), blank lines and lines
/// starting with '#' ignored. A KEY written as <c>sha256:HEX</c> is taken as already hashed, so the file need not hold
/// the key itself.
/// </summary>
public static class ApiKeyFile
{
    private const string HashPrefix = "sha256:";

    /// <summary>The keys of <paramref name="path"/>, hashed.</summary>
    /// <exception cref="FormatException">A line is malformed; the message names the file and the line.</exception>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    public static IReadOnlyList<HashedApiKey> Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"API key file '{path}' does not exist.", path);
        var keys = new List<HashedApiKey>();
        int number = 0;
        foreach (string raw in File.ReadLines(path))
        {
            number++;
            string line = raw.Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            // Messages name the role and the position, never the key: they end up in logs and terminals.
            string[] parts = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 2)
                throw new FormatException($"{path}, line {number}: expected 'ROLE KEY' (two words); found {parts.Length} word(s).");
            string role = parts[0], key = parts[1];
            if (!ApiRoles.IsKnown(role))
                throw new FormatException($"{path}, line {number}: the role must be '{ApiRoles.Admin}' or '{ApiRoles.Query}'; got '{Shorten(role)}'.");
            if (key.StartsWith(HashPrefix, StringComparison.OrdinalIgnoreCase))
            {
                string hex = key[HashPrefix.Length..];
                if (!IsSha256Hex(hex))
                    throw new FormatException($"{path}, line {number}: a '{HashPrefix}' key must be followed by 64 hex digits.");
                keys.Add(new HashedApiKey { Role = role, Sha256 = hex.ToLowerInvariant() });
            }
            else if (key.Length < 16)
                throw new FormatException($"{path}, line {number}: the key is {key.Length} characters long; keys must have at least 16 (`xmr keys new` makes one).");
            else keys.Add(HashedApiKey.FromKey(role, key));
        }
        return keys;
    }

    /// <summary>True when <paramref name="hex"/> is 64 hex digits.</summary>
    internal static bool IsSha256Hex(string? hex) => hex is { Length: 64 } && hex.All(Uri.IsHexDigit);

    private static string Shorten(string s) => s.Length <= 20 ? s : s[..20] + "...";
}
