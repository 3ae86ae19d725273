using System.Numerics;
using System.Text;
using XmrEngine.Evaluation;

namespace XmrEngine.Cli.Commands.Xr;

/// <summary>
/// The text PECOS's <c>pecos.xmc.xlinear.evaluate</c> prints: a title line, then <c>prec   = </c> and
/// <c>recall = </c> with each value as Python's <c>"{:4.2f}".format(100 * v)</c>, so scripts that parse
/// PECOS's output (and its own CLI test, which compares the bytes) read ours unchanged.
/// </summary>
internal static class PecosEvaluationText
{
    /// <summary>PECOS's evaluate output for P@k and R@k, k = 1..the metrics' depth, ending in a newline.</summary>
    public static string Format(RankingMetrics metrics)
    {
        var text = new StringBuilder("==== evaluation results ====\n");
        text.Append("prec   = ").AppendJoin(' ', metrics.PrecisionAtK.Select(v => Percent(v))).Append('\n');
        text.Append("recall = ").AppendJoin(' ', metrics.RecallAtK.Select(v => Percent(v))).Append('\n');
        return text.ToString();
    }

    /// <summary>
    /// <c>100 * v</c> (one double product, as Python computes it) with two decimals, rounded as Python's
    /// <c>format</c> rounds: the exact binary value to the nearest hundredth, ties to even. .NET's "F2"
    /// rounds ties away from zero (0.125 -> 0.13 where Python prints 0.12), so the rounding is done here on
    /// the exact value.
    /// </summary>
    public static string Percent(double v)
    {
        double w = 100 * v;
        if (double.IsNaN(w)) return "nan";
        if (double.IsInfinity(w)) return w > 0 ? "inf" : "-inf";
        bool negative = w < 0 || (w == 0 && double.IsNegative(w));
        long bits = BitConverter.DoubleToInt64Bits(Math.Abs(w));
        int exponent = (int)((bits >> 52) & 0x7FF);
        long mantissa = bits & 0xF_FFFF_FFFF_FFFFL;
        if (exponent == 0) exponent = 1; else mantissa |= 1L << 52;
        int shift = exponent - 1075; // |w| = mantissa * 2^shift exactly
        BigInteger hundredths;
        if (shift >= 0) hundredths = new BigInteger(mantissa) * 100 << shift;
        else
        {
            var numerator = new BigInteger(mantissa) * 100;
            var denominator = BigInteger.One << -shift;
            hundredths = BigInteger.DivRem(numerator, denominator, out var remainder);
            int half = (remainder * 2).CompareTo(denominator);
            if (half > 0 || (half == 0 && !hundredths.IsEven)) hundredths += 1;
        }
        var whole = BigInteger.DivRem(hundredths, 100, out var cents);
        return $"{(negative ? "-" : "")}{whole}.{(int)cents:D2}";
    }
}
