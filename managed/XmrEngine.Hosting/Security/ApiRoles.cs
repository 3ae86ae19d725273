namespace XmrEngine.Hosting.Security;

/// <summary>
/// The two roles a caller can hold. The names are fixed (key files, configuration and JWT role claims use them as they
/// are) so that scripts can rely on them.
/// </summary>
public static class ApiRoles
{
    /// <summary>May call every endpoint, including reloads and anything else that changes the server.</summary>
    public const string Admin = "admin";

    /// <summary>May call the read-only query endpoints (predict, search, suggest, the model list).</summary>
    public const string Query = "query";

    /// <summary>True for <see cref="Admin"/> and <see cref="Query"/> (exact, lower-case).</summary>
    public static bool IsKnown(string? role) => role is Admin or Query;
}
