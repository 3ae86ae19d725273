using System.Diagnostics;
using XmrEngine.Indexing;
using XmrEngine.Sparse;
using XmrEngine.Training;

namespace XmrEngine.Apps.AutoComplete;

/// <summary>
/// Trains a <see cref="QacModel"/> from (previous, next) pairs: labels are the distinct next queries; each pair
/// gives <see cref="QacTrainOptions.PrefixesPerPair"/> instances (previous, a prefix of next) labelled with next;
/// the label tree comes from the chosen indexer over the labels' position-weighted character TF-IDF; then
/// XR-Linear trains one linear model per tree node. Deterministic for a given seed, whatever the thread count.
/// </summary>
internal static class QacTrainer
{
    /// <summary>Trains a model.</summary>
    /// <param name="trainPairs">Training pairs (cleaned queries, for example <see cref="QacSplit.TrainPairs"/>).</param>
    /// <param name="options">Training options.</param>
    /// <param name="data">The data options the pairs were made with, saved with the model for evaluation.</param>
    /// <param name="report">Receives the time of each stage, if not null.</param>
    /// <param name="progress">Receives the XR-Linear step's per-level progress (nodes trained), if not null.</param>
    /// <param name="cancellationToken">Stops training between tree nodes.</param>
    /// <exception cref="ArgumentException">There are no pairs, or a pair holds an empty query.</exception>
    public static QacModel Train(IReadOnlyList<QueryPair> trainPairs, QacTrainOptions options, QacDataOptions? data = null,
        QacTrainingReport? report = null, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trainPairs);
        ArgumentNullException.ThrowIfNull(options);
        if (trainPairs.Count == 0) throw new ArgumentException("There are no training pairs.", nameof(trainPairs));
        for (int i = 0; i < trainPairs.Count; i++)
            if (string.IsNullOrEmpty(trainPairs[i].Previous) || string.IsNullOrEmpty(trainPairs[i].Next))
                throw new ArgumentException($"Training pair {i} has an empty query.", nameof(trainPairs));
        report ??= new QacTrainingReport();
        var sw = Stopwatch.StartNew();

        var labelCounts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var p in trainPairs) labelCounts[p.Next] = labelCounts.GetValueOrDefault(p.Next) + 1;
        var labels = labelCounts.Keys.ToArray();
        Array.Sort(labels, StringComparer.Ordinal);
        var labelId = new Dictionary<string, int>(labels.Length, StringComparer.Ordinal);
        for (int i = 0; i < labels.Length; i++) labelId[labels[i]] = i;
        var counts = labels.Select(l => labelCounts[l]).ToArray();

        var featurizer = QacFeaturizer.Fit(trainPairs.Select(p => p.Previous), labels, options.Threads);
        var previous = new List<string>();
        var prefixes = new List<string>();
        var target = new List<int>();
        for (int i = 0; i < trainPairs.Count; i++)
        {
            var p = trainPairs[i];
            foreach (int length in PrefixSampler.TrainingLengths(p.Next, options.PrefixesPerPair, options.Seed, i))
            {
                previous.Add(p.Previous);
                prefixes.Add(p.Next[..length]);
                target.Add(labelId[p.Next]);
            }
        }
        var x = featurizer.Transform(previous, prefixes, options.Threads);
        var y = OneLabelPerRow(target, labels.Length);
        report.FeaturesMs = sw.Elapsed.TotalMilliseconds;
        report.Instances = x.Rows;
        report.Labels = labels.Length;
        report.Features = x.Cols;
        sw.Restart();

        var chain = BuildChain(labels, featurizer, options, cancellationToken);
        report.IndexingMs = sw.Elapsed.TotalMilliseconds;
        report.TreeDepth = chain.Depth;
        sw.Restart();

        var xoptions = options.XLinear with { Threads = options.Threads, Seed = options.Seed };
        var xlinear = XLinearTrainer.Train(x, y, chain, xoptions, progress, cancellationToken);
        report.TrainingMs = sw.Elapsed.TotalMilliseconds;

        int largestLeaf = LargestBottomNode(chain);
        report.LargestLeaf = largestLeaf;
        int candidates = (int)Math.Min(options.MaxCandidates, Math.Max(10L, (long)options.BeamSize * largestLeaf));
        var settings = new QacModelSettings(options.Indexer, options.TrieDepth, options.BeamSize, candidates, options.PrefixesPerPair, data ?? new QacDataOptions())
        {
            MinPopularCount = options.MinPopularCount,
        };
        return new QacModel(featurizer, labels, counts, xlinear, settings);
    }

    /// <summary>
    /// Trains a model with a fusion ranker: a seeded <see cref="QacTrainOptions.RankerUsers"/> share of the sessions'
    /// users is kept out of the XR-Linear model (and its popularity counts), and the ranker is trained on their pairs.
    /// Without a share, or when it would hold no user or leave no training pair, the model trains on every session
    /// without a ranker.
    /// </summary>
    public static QacModel Train(IReadOnlyList<QuerySession> sessions, QacTrainOptions options, QacDataOptions? data = null,
        QacTrainingReport? report = null, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sessions);
        ArgumentNullException.ThrowIfNull(options);
        report ??= new QacTrainingReport();
        if (options.RankerUsers > 0)
        {
            // Another draw than the data split's user hold-out, which uses the data seed unsalted.
            var rankerUsers = QacSplit.HeldOutUsers(sessions.Select(s => s.UserId), options.RankerUsers, options.Seed ^ 0x2545F491);
            // And the other users' latest sessions (the last RankerLatestSessions share by start time): the ranker then
            // also learns how far to trust the model for people it has seen, as in the time split.
            var others = sessions.Where(s => !rankerUsers.Contains(s.UserId)).OrderBy(s => s.Start).ThenBy(s => s.UserId, StringComparer.Ordinal).ToList();
            int latest = (int)Math.Floor(options.RankerLatestSessions * others.Count);
            var modelPairs = SessionBuilder.Pairs(others.Take(others.Count - latest));
            var rankerPairs = SessionBuilder.Pairs(sessions.Where(s => rankerUsers.Contains(s.UserId)).Concat(others.Skip(others.Count - latest)));
            if (rankerPairs.Count > 0 && modelPairs.Count > 0)
            {
                var model = Train(modelPairs, options, data, report, progress, cancellationToken);
                var sw = Stopwatch.StartNew();
                var ranker = QacRankerTrainer.Train(model, rankerPairs, rankerUsers.Count, options, cancellationToken);
                report.RankerMs = sw.Elapsed.TotalMilliseconds;
                report.Ranker = ranker.Training;
                if (!options.RankerRetrain) return model.WithRanker(ranker);
                // The ranker has learnt how far to trust a model on data it did not see; the served model then trains
                // on every session, so no training data is lost to the ranker's slice.
                var full = Train(SessionBuilder.Pairs(sessions), options, data, new QacTrainingReport(), progress, cancellationToken);
                report.RetrainMs = sw.Elapsed.TotalMilliseconds - report.RankerMs;
                return full.WithRanker(ranker);
            }
        }
        return Train(SessionBuilder.Pairs(sessions), options, data, report, progress, cancellationToken);
    }

    /// <summary>The label tree for <paramref name="labels"/> with the indexer the options name.</summary>
    public static ClusterChain BuildChain(IReadOnlyList<string> labels, QacFeaturizer featurizer, QacTrainOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(featurizer);
        ArgumentNullException.ThrowIfNull(options);
        var shape = options.XLinear.Indexer;
        var kernels = options.XLinear.Kernels;
        return options.Indexer switch
        {
            QacIndexerKind.Trie => new TrieIndexer(options.TrieDepth).Build(labels, cancellationToken),
            QacIndexerKind.Hybrid => new TrieTreeHybridIndexer(options.TrieDepth, shape, options.Seed, options.Threads)
                .Build(labels, featurizer.LabelFeatures(labels, options.Threads), kernels, cancellationToken),
            _ => new HierarchicalKMeansIndexer(shape, options.Seed, options.Threads).Build(featurizer.LabelFeatures(labels, options.Threads), kernels, cancellationToken),
        };
    }

    private static CsrMatrix OneLabelPerRow(List<int> target, int labels)
    {
        var ptr = new long[target.Count + 1];
        for (int i = 0; i < target.Count; i++) ptr[i + 1] = i + 1;
        var ones = new float[target.Count];
        Array.Fill(ones, 1f);
        return new CsrMatrix(target.Count, labels, ptr, target.ToArray(), ones);
    }

    /// <summary>Most labels under one node of the level above the labels.</summary>
    private static int LargestBottomNode(ClusterChain chain)
    {
        var last = chain.Levels[^1];
        var children = new int[last.Cols];
        foreach (int parent in last.Indices) children[parent]++;
        return children.Length == 0 ? 0 : children.Max();
    }
}
