using XmrEngine.Cli;

return CliRunner.Run(args);
