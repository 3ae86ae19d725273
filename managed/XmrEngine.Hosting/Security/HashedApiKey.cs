using System.Security.Cryptography;
using System.Text;

namespace XmrEngine.Hosting.Security;

/// <summary>
/// One API key as the server keeps it: its role and the SHA-256 of the key (lower-case hex), never the key itself, so a
/// configuration file or a memory dump does not give the key away. Bindable from configuration
/// (<c>XmrEngine:Security:ApiKeys:0:Role</c>, <c>...:Sha256</c>).
/// </summary>
public sealed class HashedApiKey
{
    /// <summary><see cref="ApiRoles.Admin"/> or <see cref="ApiRoles.Query"/>.</summary>
    public string Role { get; set; } = "";

    /// <summary>SHA-256 of the key's UTF-8 bytes as 64 hex digits (either case).</summary>
    public string Sha256 { get; set; } = "";

    /// <summary>The entry for <paramref name="key"/> with <paramref name="role"/>: the key is hashed here and not kept.</summary>
    /// <exception cref="ArgumentException">The role is not one of <see cref="ApiRoles"/>, or the key is shorter than 16 characters.</exception>
    public static HashedApiKey FromKey(string role, string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!ApiRoles.IsKnown(role)) throw new ArgumentException($"role: must be '{ApiRoles.Admin}' or '{ApiRoles.Query}'; got '{role}'.", nameof(role));
        // Short keys can be guessed; the generated ones are 43 characters.
        if (key.Length < 16) throw new ArgumentException($"key: must be at least 16 characters; got {key.Length}.", nameof(key));
        return new HashedApiKey { Role = role, Sha256 = HashOf(key) };
    }

    /// <summary>A new random key (32 bytes from the system's cryptographic generator, base64url, 43 characters).</summary>
    public static string NewKey() => Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary>The lower-case hex SHA-256 of <paramref name="key"/>'s UTF-8 bytes.</summary>
    public static string HashOf(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
