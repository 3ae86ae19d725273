using XmrEngine.Common;

namespace XmrEngine.Apps.AutoComplete;

/// <summary>
/// Trains a <see cref="QacRanker"/>: for each (previous, next) pair of users the XR-Linear model never saw, a few
/// seeded prefixes of next are run through the model's candidate gathering (exactly as serving does); every
/// request whose pool holds next becomes one list. The weights minimise the mean softmax cross-entropy of next
/// within its list plus an L2 penalty, by full-batch Adam on standardised features. The lists are built and the
/// gradient summed over fixed blocks in block order, so the ranker is the same for any thread count.
/// </summary>
internal static class QacRankerTrainer
{
    /// <summary>Prefixes drawn per pair (as <see cref="PrefixSampler.TrainingLengths"/> draws them for the model).</summary>
    public const int PrefixesPerPair = 2;

    private const int Blocks = 64;
    private const int Iterations = 300;
    private const double L2 = 1e-3, LearningRate = 0.05;

    /// <summary>The lists of one block of pairs.</summary>
    private sealed class ListBlock
    {
        public readonly List<float> Features = [];
        public readonly List<int> Sizes = [];
        public readonly List<int> Buckets = [];
        public readonly List<int> Positives = [];
        public int WithoutAnswer;
    }

    /// <summary>Trains the ranker of <paramref name="model"/> on <paramref name="pairs"/> (cleaned; of users the model did not train on).</summary>
    /// <exception cref="ArgumentException">No request's pool holds its true next query, so there is nothing to learn from.</exception>
    public static QacRanker Train(QacModel model, IReadOnlyList<QueryPair> pairs, int users, QacTrainOptions options, CancellationToken cancellationToken = default)
    {
        int f = QacRankingFeatures.Count;
        var labels = model.Labels;
        var blocks = new ListBlock[Blocks];
        int blockSize = Math.Max(1, (pairs.Count + Blocks - 1) / Blocks);
        Parallel.For(0, Blocks, new ParallelOptions { MaxDegreeOfParallelism = ThreadCount.Resolve(options.Threads), CancellationToken = cancellationToken }, b =>
        {
            var block = blocks[b] = new ListBlock();
            var scratch = QacScratch.Current;
            for (int i = b * blockSize; i < Math.Min(pairs.Count, (b + 1) * blockSize); i++)
            {
                var (previous, next) = pairs[i];
                int answer = FindLabel(labels, next);
                foreach (int length in PrefixSampler.TrainingLengths(next, PrefixesPerPair, options.Seed + 1, i))
                {
                    if (answer < 0) { block.WithoutAnswer++; continue; }
                    string prefix = next[..length];
                    model.GatherCandidates(previous, prefix, options.RankerModelCandidates, options.RankerPopularCandidates, options.RankerPreviousCandidates, scratch);
                    var pool = scratch.Pool;
                    int positive = -1;
                    for (int c = 0; c < pool.Count; c++)
                        if (pool.Items[c].Label == answer) positive = c;
                    if (positive < 0) { block.WithoutAnswer++; continue; }
                    model.ComputeFeatures(previous, prefix, pool);
                    block.Features.AddRange(pool.Features.AsSpan(0, pool.Count * f));
                    block.Sizes.Add(pool.Count);
                    block.Buckets.Add(QacRankingFeatures.Bucket(prefix.Length));
                    block.Positives.Add(positive);
                }
            }
        });
        int lists = blocks.Sum(b => b.Sizes.Count), without = blocks.Sum(b => b.WithoutAnswer);
        if (lists == 0) throw new ArgumentException($"None of the {pairs.Count:N0} ranker pairs had its next query among the candidates; there is nothing to train the ranker on.", nameof(pairs));

        // Standardise: mean and standard deviation over every candidate row (a constant feature keeps scale 1).
        long rows = blocks.Sum(b => (long)b.Sizes.Sum());
        var mean = new double[f];
        var sq = new double[f];
        foreach (var b in blocks)
            for (int r = 0; r < b.Features.Count; r += f)
                for (int j = 0; j < f; j++) { double v = b.Features[r + j]; mean[j] += v; sq[j] += v * v; }
        var meanF = new float[f];
        var scaleF = new float[f];
        for (int j = 0; j < f; j++)
        {
            double m = mean[j] / rows, variance = Math.Max(0, sq[j] / rows - m * m), sd = Math.Sqrt(variance);
            meanF[j] = (float)m;
            scaleF[j] = sd > 1e-6 ? (float)sd : 1f;
        }
        var z = blocks.Select(b =>
        {
            var a = b.Features.ToArray();
            for (int r = 0; r < a.Length; r += f)
                for (int j = 0; j < f; j++) a[r + j] = (a[r + j] - meanF[j]) / scaleF[j];
            return a;
        }).ToArray();

        int wn = f * QacRankingFeatures.Buckets;
        var w = new double[wn];
        var m1 = new double[wn];
        var m2 = new double[wn];
        var partialGrad = new double[Blocks][];
        var partialLoss = new double[Blocks];
        double loss = 0;
        int iteration = 0;
        for (; iteration < Iterations; iteration++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Parallel.For(0, Blocks, new ParallelOptions { MaxDegreeOfParallelism = ThreadCount.Resolve(options.Threads) }, b =>
                partialLoss[b] = Gradient(blocks[b], z[b], w, partialGrad[b] ??= new double[wn]));
            var grad = new double[wn];
            loss = 0;
            for (int b = 0; b < Blocks; b++)
            {
                loss += partialLoss[b];
                for (int k = 0; k < wn; k++) grad[k] += partialGrad[b][k];
            }
            loss /= lists;
            // Adam (bias-corrected) on the mean loss plus L2 / 2 |w|^2.
            double c1 = 1 - Math.Pow(0.9, iteration + 1), c2 = 1 - Math.Pow(0.999, iteration + 1);
            for (int k = 0; k < wn; k++)
            {
                double g = grad[k] / lists + L2 * w[k];
                m1[k] = 0.9 * m1[k] + 0.1 * g;
                m2[k] = 0.999 * m2[k] + 0.001 * g * g;
                w[k] -= LearningRate * (m1[k] / c1) / (Math.Sqrt(m2[k] / c2) + 1e-8);
            }
        }
        var info = new QacRankerTrainingInfo(users, pairs.Count, lists, without, iteration, loss, L2);
        return new QacRanker(meanF, scaleF, w.Select(v => (float)v).ToArray(), options.RankerModelCandidates, options.RankerPopularCandidates,
            options.RankerPreviousCandidates, info);
    }

    /// <summary>Adds the block's loss gradient into <paramref name="grad"/> (cleared first); returns the block's summed loss.</summary>
    private static double Gradient(ListBlock block, float[] z, double[] w, double[] grad)
    {
        int f = QacRankingFeatures.Count;
        Array.Clear(grad);
        double loss = 0;
        int row = 0;
        double[] buffer = [];
        for (int l = 0; l < block.Sizes.Count; l++)
        {
            int n = block.Sizes[l], bucket = block.Buckets[l], offset = bucket * f;
            if (buffer.Length < n) buffer = new double[Math.Max(n, 2 * buffer.Length)];
            double max = double.NegativeInfinity;
            for (int c = 0; c < n; c++)
            {
                double s = 0;
                int at = (row + c) * f;
                for (int j = 0; j < f; j++) s += w[offset + j] * z[at + j];
                buffer[c] = s;
                max = Math.Max(max, s);
            }
            double sum = 0;
            for (int c = 0; c < n; c++) sum += Math.Exp(buffer[c] - max);
            double logSum = max + Math.Log(sum);
            loss += logSum - buffer[block.Positives[l]];
            for (int c = 0; c < n; c++)
            {
                double p = Math.Exp(buffer[c] - logSum) - (c == block.Positives[l] ? 1 : 0);
                int at = (row + c) * f;
                for (int j = 0; j < f; j++) grad[offset + j] += p * z[at + j];
            }
            row += n;
        }
        return loss;
    }

    private static int FindLabel(IReadOnlyList<string> labels, string query)
    {
        int lo = 0, hi = labels.Count - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            int c = string.CompareOrdinal(labels[mid], query);
            if (c == 0) return mid;
            if (c < 0) lo = mid + 1;
            else hi = mid - 1;
        }
        return -1;
    }
}
