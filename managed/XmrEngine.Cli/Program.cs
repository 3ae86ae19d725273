using XmrEngine.Cli;

#if XMR_AOT
// The verbs built on ASP.NET Core and Orleans run in the JIT-compiled companion, with every argument (--help included).
if (Companion.Handles(args)) return Companion.Run(args);
#endif
return CliRunner.Run(args);
