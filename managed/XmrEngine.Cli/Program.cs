using XmrEngine.Cli;

#if XMR_AOT
// The verbs built on ASP.NET Core and Orleans run in the JIT-compiled companion, with every argument (--help included).
if (Companion.Handles(args)) return Companion.Run(args);
#else
// A server's GC settings differ from training's; the process is replaced with them before anything starts.
ServingGcSettings.ApplyBeforeServing(args);
#endif
return CliRunner.Run(args);
