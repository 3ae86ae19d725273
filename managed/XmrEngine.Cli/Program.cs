using System.CommandLine;
using Spectre.Console;
using XmrEngine.Cli;

// Redirected output (logs, CI, `| tee`) has no terminal width; Spectre would assume 80 columns and wrap
// every table cell. A wide fixed width keeps each table row on one line.
if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = 200;

var root = new RootCommand("xmr: extreme multi-label ranking (XR-Linear) — train, predict, evaluate, convert and inspect data.");
foreach (var command in CommandCatalog.All()) root.Subcommands.Add(command);
return CliRunner.Run(root, args);
