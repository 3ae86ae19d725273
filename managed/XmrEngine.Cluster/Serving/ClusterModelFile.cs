using System.Text.Json;
using XmrEngine.Cluster.Hosting;
using XmrEngine.IO;

namespace XmrEngine.Cluster.Serving;

/// <summary>
/// A <c>NAME.cluster.json</c> file: which cluster serves a sharded model, and where the model's directory is.
/// <code>{"clusterId": "demo", "redis": "127.0.0.1:6379", "model": "/srv/models/bibtex-sharded"}</code>
/// Without <c>redis</c>, <c>gatewayPorts</c> (the silos' gateway ports on this machine) selects localhost clustering.
/// </summary>
/// <param name="Membership">The cluster id and membership store, as the silos were started with.</param>
/// <param name="GatewayPorts">Localhost clustering only: the silos' gateway ports.</param>
/// <param name="ModelDirectory">The directory <c>xmr shard</c> wrote, at an absolute path every silo can read.</param>
internal sealed record ClusterModelFile(Membership Membership, IReadOnlyList<int> GatewayPorts, string ModelDirectory)
{
    /// <summary>The file name ending that marks such a file.</summary>
    public const string Suffix = ".cluster.json";

    private static readonly string[] Fields = ["clusterId", "redis", "gatewayPorts", "model"];

    /// <summary>Reads and checks <paramref name="json"/>, the content of the file at <paramref name="path"/>.</summary>
    /// <exception cref="XmrDataException">A field is missing, unknown or malformed; the message names the file and the field.</exception>
    public static ClusterModelFile Parse(string path, ReadOnlySpan<byte> json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw Bad(path, null, $"not valid JSON ({e.Message})");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw Bad(path, null, "expected a JSON object {\"clusterId\": ..., \"redis\": ..., \"model\": ...}");
            // Unknown fields are refused: a misspelt "clusterID" would otherwise leave a required field silently unset.
            foreach (var property in root.EnumerateObject())
                if (Array.IndexOf(Fields, property.Name) < 0)
                    throw Bad(path, property.Name, $"unknown field; the fields are {string.Join(", ", Fields)}");
            string clusterId = RequiredString(path, root, "clusterId", "the silos' --cluster-id");
            string? redis = OptionalString(path, root, "redis");
            int[] ports = Ports(path, root);
            string model = RequiredString(path, root, "model", "the absolute path of the directory `xmr shard` wrote");
            if (!Path.IsPathFullyQualified(model))
                throw Bad(path, "model", $"'{model}' is not an absolute path; the silos open it too, so it must not depend on a working directory");
            if (redis is null && ports.Length == 0)
                throw Bad(path, "redis", "required (host:port of the silos' Redis membership), unless \"gatewayPorts\" names the silos of a localhost cluster");
            var membership = new Membership(clusterId, redis);
            try
            {
                membership.Validate();
            }
            catch (ArgumentException e)
            {
                throw Bad(path, "redis", e.Message.Replace("--redis", "redis", StringComparison.Ordinal));
            }
            return new ClusterModelFile(membership, ports, Path.GetFullPath(model));
        }
    }

    private static string RequiredString(string path, JsonElement root, string field, string what) =>
        OptionalString(path, root, field) is { Length: > 0 } value ? value : throw Bad(path, field, $"required: {what}");

    private static string? OptionalString(string path, JsonElement root, string field)
    {
        if (!root.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind != JsonValueKind.String) throw Bad(path, field, $"expected a string, got {value.ValueKind.ToString().ToLowerInvariant()}");
        string text = value.GetString()!.Trim();
        return text.Length == 0 ? throw Bad(path, field, "empty") : text;
    }

    private static int[] Ports(string path, JsonElement root)
    {
        if (!root.TryGetProperty("gatewayPorts", out var value) || value.ValueKind == JsonValueKind.Null) return [];
        if (value.ValueKind != JsonValueKind.Array) throw Bad(path, "gatewayPorts", "expected an array of port numbers");
        var ports = new List<int>();
        foreach (var item in value.EnumerateArray())
        {
            if (!item.TryGetInt32(out int port) || port is < 1 or > 65535) throw Bad(path, "gatewayPorts", $"{item.GetRawText()} is not a port number");
            ports.Add(port);
        }
        return ports.ToArray();
    }

    private static XmrDataException Bad(string path, string? field, string detail) =>
        new(path, null, null, field is null ? null : $"field '{field}'", detail + ".");
}
