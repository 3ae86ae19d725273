using System.CommandLine;
using XmrEngine.IO;
using XmrEngine.Sparse;
using XmrEngine.Training;

namespace XmrEngine.Cli.Commands.Xr;

/// <summary>
/// <c>xmr train -r R.npz --rel-mode --rel-norm</c>: cost-sensitive training with PECOS's flag names and values. Unlike
/// PECOS, whose <c>--rel-mode</c> defaults to <c>disable</c> (which ignores <c>-r</c>), giving <c>-r</c> alone induces it.
/// </summary>
internal sealed class RelevanceFlags
{
    public Option<string?> Path { get; } = new("--rel-path", "-r")
    {
        Description = "Relevance of each positive (.npz, rows x labels, exactly Y's positives, values > 0): multiplies the cost of errors on that pair (cost-sensitive training, PECOS's -r).",
    };

    public Option<string?> Mode { get; } = new("--rel-mode")
    {
        Description = "induce (every level: a node sums its labels' relevances; the default with -r; without -r every positive counts 1) | ranker-only (the last level only) | disable (ignore -r, PECOS's default).",
    };

    public Option<string> Norm { get; } = NormOption();

    public RelevanceFlags()
    {
        Mode.AcceptOnlyFromAmong("induce", "ranker-only", "disable");
    }

    /// <summary><c>--rel-norm</c>, PECOS's values; <c>xmr text2text train</c> takes it too.</summary>
    public static Option<string> NormOption()
    {
        var norm = new Option<string>("--rel-norm")
        {
            Description = "Scale each row's relevances on every level: no-norm | l1 | l2 | max.",
            DefaultValueFactory = _ => "no-norm",
        };
        norm.AcceptOnlyFromAmong("no-norm", "l1", "l2", "max");
        return norm;
    }

    /// <summary>PECOS's <c>--rel-mode</c> value (induce or ranker-only) as the library's mode.</summary>
    public static RelevanceMode ParseMode(string mode) => mode == "ranker-only" ? RelevanceMode.RankerOnly : RelevanceMode.Induce;

    /// <summary>PECOS's <c>--rel-norm</c> value as the library's norm.</summary>
    public static RelevanceNorm ParseNorm(string norm) => norm switch
    {
        "l1" => RelevanceNorm.L1,
        "l2" => RelevanceNorm.L2,
        "max" => RelevanceNorm.Max,
        _ => RelevanceNorm.None,
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Path);
        command.Options.Add(Mode);
        command.Options.Add(Norm);
    }

    /// <summary>The relevance the flags ask for, read and checked against <paramref name="labels"/>; null for none.</summary>
    public RelevanceWeights? Read(ParseResult result, CsrMatrix labels)
    {
        string? path = result.GetValue(Path);
        string mode = result.GetValue(Mode) ?? (path is null ? "disable" : "induce");
        var norm = ParseNorm(result.GetRequiredValue(Norm));
        if (mode == "disable")
        {
            if (path is not null) CliConsole.Warn($"--rel-mode disable: -r {path} is not used.");
            return null;
        }
        if (mode == "ranker-only" && path is null)
            throw new ArgumentException("--rel-mode ranker-only needs the relevance matrix: give -r R.npz.");
        CsrMatrix? values = path is null ? null : NpzFormat.ReadCsr(path);
        try
        {
            var relevance = new RelevanceWeights(values, ParseMode(mode), norm);
            relevance.CheckAgainst(labels);
            return relevance;
        }
        catch (ArgumentException e)
        {
            string message = e.ParamName is { } name ? e.Message.Replace($" (Parameter '{name}')", "", StringComparison.Ordinal) : e.Message;
            throw new ArgumentException($"-r {path ?? "(none)"}: {message}", e);
        }
    }
}
