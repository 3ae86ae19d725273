using System.Text.Json.Serialization;

namespace XmrEngine.Cli;

/// <summary>
/// The JSON the commands print, serialized by generated code rather than reflection: reflection-based serialization
/// is unavailable in the ahead-of-time compiled <c>xmr</c> (docs/build.md).
/// </summary>
[JsonSerializable(typeof(Dictionary<string, double>))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
