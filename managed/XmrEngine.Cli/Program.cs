using System.CommandLine;
using XmrEngine.Cli;

var root = new RootCommand("xmr: extreme multi-label ranking (XR-Linear) — train, predict, evaluate, convert and inspect data.");
foreach (var command in CommandCatalog.All()) root.Subcommands.Add(command);
return CliRunner.Run(root, args);
