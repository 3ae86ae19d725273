using XmrEngine.Sparse;

namespace XmrEngine.Evaluation;

/// <summary>
/// How well predicted probabilities match how often answers are right: every stored entry of a prediction matrix is an
/// answer with a probability (its value), right when the truth matrix stores the same (row, label). Values outside
/// [0, 1] (raw scores read as probabilities) count in the first or last bin.
/// </summary>
public static class CalibrationMetrics
{
    /// <summary>The reliability table, the expected calibration error and precision / recall of the answers at or above a threshold.</summary>
    /// <param name="truth">Rows x labels true labels.</param>
    /// <param name="probabilities">Rows x labels answers; each stored value is the answer's probability.</param>
    /// <param name="bins">Equal-width bins over [0, 1] (10 or 15 are usual).</param>
    /// <param name="threshold">Answers whose probability is at least this are kept for <see cref="CalibrationReport.Precision"/> and <see cref="CalibrationReport.Recall"/>.</param>
    /// <exception cref="ArgumentException">The shapes differ, fewer than one bin, or a value is NaN.</exception>
    public static CalibrationReport Evaluate(CsrMatrix truth, CsrMatrix probabilities, int bins = 10, double threshold = 0.5)
    {
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(probabilities);
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        if (truth.Rows != probabilities.Rows || truth.Cols != probabilities.Cols)
            throw new ArgumentException($"the truth is {truth.Rows}x{truth.Cols} but the probabilities {probabilities.Rows}x{probabilities.Cols}.", nameof(probabilities));
        var sum = new double[bins];
        var hits = new long[bins];
        var count = new long[bins];
        long kept = 0, keptRight = 0, relevantTotal = truth.Nnz, answers = 0;
        for (int r = 0; r < truth.Rows; r++)
        {
            var row = probabilities.Row(r);
            var labels = truth.Row(r).Indices;
            for (int i = 0; i < row.Length; i++)
            {
                double p = row.Values[i];
                if (double.IsNaN(p)) throw new ArgumentException($"row {r}, label {row.Indices[i]}: the probability is NaN.", nameof(probabilities));
                bool right = labels.BinarySearch(row.Indices[i]) >= 0;
                // Bin b holds [b / bins, (b + 1) / bins); 1 (and above) goes in the last bin.
                int b = Math.Clamp((int)Math.Floor(p * bins), 0, bins - 1);
                sum[b] += p;
                count[b]++;
                answers++;
                if (right) hits[b]++;
                if (p >= threshold)
                {
                    kept++;
                    if (right) keptRight++;
                }
            }
        }
        var table = new ReliabilityBin[bins];
        double ece = 0;
        for (int b = 0; b < bins; b++)
        {
            double mean = count[b] == 0 ? 0 : sum[b] / count[b], observed = count[b] == 0 ? 0 : (double)hits[b] / count[b];
            table[b] = new ReliabilityBin((double)b / bins, (double)(b + 1) / bins, mean, observed, count[b]);
            if (answers > 0) ece += (double)count[b] / answers * Math.Abs(mean - observed);
        }
        return new CalibrationReport(table, ece, threshold, kept == 0 ? 0 : (double)keptRight / kept,
            relevantTotal == 0 ? 0 : (double)keptRight / relevantTotal, kept, answers);
    }
}

/// <summary>One bin of a reliability table.</summary>
public sealed class ReliabilityBin
{
    internal ReliabilityBin(double lower, double upper, double meanPredicted, double observedFrequency, long count)
    {
        Lower = lower;
        Upper = upper;
        MeanPredicted = meanPredicted;
        ObservedFrequency = observedFrequency;
        Count = count;
    }

    /// <summary>Lowest probability of the bin (inclusive).</summary>
    public double Lower { get; }

    /// <summary>Highest probability of the bin (exclusive, except 1 for the last bin).</summary>
    public double Upper { get; }

    /// <summary>Mean predicted probability of the bin's answers (0 when empty).</summary>
    public double MeanPredicted { get; }

    /// <summary>Share of the bin's answers that are right (0 when empty).</summary>
    public double ObservedFrequency { get; }

    /// <summary>Answers in the bin.</summary>
    public long Count { get; }
}

/// <summary>What <see cref="CalibrationMetrics.Evaluate"/> measured.</summary>
public sealed class CalibrationReport
{
    internal CalibrationReport(IReadOnlyList<ReliabilityBin> bins, double ece, double threshold, double precision, double recall, long kept, long answers)
    {
        Bins = bins;
        ExpectedCalibrationError = ece;
        Threshold = threshold;
        Precision = precision;
        Recall = recall;
        Kept = kept;
        Answers = answers;
    }

    /// <summary>The reliability table, lowest bin first.</summary>
    public IReadOnlyList<ReliabilityBin> Bins { get; }

    /// <summary>Expected calibration error: the answer-weighted mean over bins of |mean predicted - observed frequency|.</summary>
    public double ExpectedCalibrationError { get; }

    /// <summary>The probability threshold of <see cref="Precision"/> and <see cref="Recall"/>.</summary>
    public double Threshold { get; }

    /// <summary>Share of the answers at or above the threshold that are right (0 when none is).</summary>
    public double Precision { get; }

    /// <summary>Right answers at or above the threshold over every true label of every row (0 when there are none).</summary>
    public double Recall { get; }

    /// <summary>Answers at or above the threshold.</summary>
    public long Kept { get; }

    /// <summary>All answers.</summary>
    public long Answers { get; }
}
