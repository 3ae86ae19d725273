using System.Text.RegularExpressions;

namespace XmrEngine.Hosting.Api;

/// <summary>
/// System.Text.Json's error messages in a client's words: "could not be converted to System.Int32" becomes "could not
/// be read as a whole number". .NET type names mean nothing to a client and tell an attacker what runs the server.
/// </summary>
internal static partial class JsonErrorText
{
    public static string ForClients(string message) => TypeName().Replace(message, m => Describe(m.Value));

    private static string Describe(string type) =>
        type.EndsWith("[]", StringComparison.Ordinal) || type.Contains("List`1", StringComparison.Ordinal) ? "an array"
        : type.Contains("Int32", StringComparison.Ordinal) || type.Contains("Int64", StringComparison.Ordinal) ? "a whole number"
        : type.Contains("Single", StringComparison.Ordinal) || type.Contains("Double", StringComparison.Ordinal) ? "a number"
        : type.Contains("String", StringComparison.Ordinal) ? "a string"
        : type.Contains("Boolean", StringComparison.Ordinal) ? "true or false"
        : "an object";

    // A namespace-qualified .NET type, with generic arguments and array brackets: System.Nullable`1[System.Int32], XmrEngine.Hosting.Api.PredictRequest, System.Single[].
    [GeneratedRegex(@"\b(?:System|XmrEngine|Microsoft)(?:\.[A-Za-z_][\w`]*)+(?:\[[^\]\s]*\])*(?:\[\])*")]
    private static partial Regex TypeName();
}
