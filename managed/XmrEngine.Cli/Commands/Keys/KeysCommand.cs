using System.CommandLine;
using XmrEngine.Hosting.Security;

namespace XmrEngine.Cli.Commands.Keys;

/// <summary><c>xmr keys new</c>: makes an API key for <c>xmr serve --api-keys</c> or the server's configuration.</summary>
internal static class KeysCommand
{
    public static Command Create()
    {
        var role = new Option<string>("--role") { Description = $"The key's role: {ApiRoles.Admin} (every endpoint, reloads included) or {ApiRoles.Query} (queries only).", Required = true };
        var create = new Command("new", "Print a new random API key as a key-file line ('ROLE KEY'), then its hashed line ('ROLE sha256:HEX') for files and configuration that should not hold the key.")
            { role };
        create.SetAction(result =>
        {
            string r = result.GetRequiredValue(role);
            if (!ApiRoles.IsKnown(r)) throw new ArgumentException($"--role must be '{ApiRoles.Admin}' or '{ApiRoles.Query}'; got '{r}'.");
            string key = HashedApiKey.NewKey();
            var hashed = HashedApiKey.FromKey(r, key);
            CliConsole.OutWriter.WriteLine($"{r} {key}");
            CliConsole.OutWriter.WriteLine($"{r} sha256:{hashed.Sha256}");
            CliConsole.OutWriter.Flush();
            CliConsole.Note($"send the key in the {ServingSecurity.ApiKeyHeader} header; the server needs only the second line (in an --api-keys file, or as XmrEngine:Security:ApiKeys:N:Role/Sha256 in its configuration).");
            return 0;
        });
        return new Command("keys", "API keys for `xmr serve`.") { create };
    }
}
