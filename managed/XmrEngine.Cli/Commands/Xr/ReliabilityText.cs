using System.Globalization;
using System.Text;
using XmrEngine.Evaluation;

namespace XmrEngine.Cli.Commands.Xr;

/// <summary>The text of <c>xmr evaluate --reliability</c>: a Markdown reliability table, the ECE, and precision / recall at the threshold.</summary>
internal static class ReliabilityText
{
    public static string Format(CalibrationReport report)
    {
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine("| bin | mean predicted | observed frequency | count |");
        sb.AppendLine("|---|---|---|---|");
        foreach (var bin in report.Bins)
            sb.AppendLine(string.Create(c, $"| [{bin.Lower:F2}, {bin.Upper:F2}{(bin.Upper >= 1 ? "]" : ")")} | {bin.MeanPredicted:F4} | {bin.ObservedFrequency:F4} | {bin.Count:N0} |"));
        sb.AppendLine(string.Create(c, $"ECE ({report.Bins.Count} bins, {report.Answers:N0} answers): {report.ExpectedCalibrationError:F4}"));
        sb.AppendLine(string.Create(c, $"at probability >= {report.Threshold:G}: {report.Kept:N0} answers kept, precision {report.Precision * 100:F2}%, recall {report.Recall * 100:F2}%"));
        return sb.ToString();
    }
}
