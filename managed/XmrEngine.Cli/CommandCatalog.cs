using System.CommandLine;
#if !XMR_AOT
using XmrEngine.Cli.Commands.Bench;
using XmrEngine.Cli.Commands.Cluster;
using XmrEngine.Cli.Commands.Keys;
using XmrEngine.Cli.Commands.Serve;
#endif
using XmrEngine.Cli.Commands.Ann;
using XmrEngine.Cli.Commands.Data;
using XmrEngine.Cli.Commands.Qac;
using XmrEngine.Cli.Commands.Text2Text;
using XmrEngine.Cli.Commands.Xr;

namespace XmrEngine.Cli;

/// <summary>
/// Every verb of the <c>xmr</c> command, in the order <c>--help</c> lists them. The ahead-of-time compiled build
/// (XMR_AOT) lists the verbs built on ASP.NET Core and Orleans as stubs that its JIT-compiled companion runs.
/// </summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> All()
    {
        yield return InfoCommand.Create();
        yield return StatsCommand.Create();
        yield return ConvertCommand.Create();
        yield return SpmmCommand.Create();
        yield return GenerateCommand.Create();
        yield return TrainCommand.Create();
        yield return TuneCommand.Create();
        yield return PredictCommand.Create();
        yield return EvaluateCommand.Create();
        yield return Text2TextCommand.Create();
        yield return TreeCommand.Create();
        yield return ShardCommand.Create();
        yield return ExportCommand.Create();
        yield return QuantizeCommand.Create();
        yield return AnnCommand.Create();
#if XMR_AOT
        yield return Companion.Stub("bench");
        yield return QacCommand.Create();
        yield return Companion.Stub("serve");
        yield return Companion.Stub("keys");
        yield return Companion.Stub("cluster");
#else
        yield return BenchCommand.Create();
        yield return QacCommand.Create();
        yield return ServeCommand.Create();
        yield return KeysCommand.Create();
        yield return ClusterCommand.Create();
#endif
    }
}
