using System.Runtime.CompilerServices;
using XmrEngine.Inference;
using XmrEngine.Models;

namespace XmrEngine.Persistence;

/// <summary>
/// Remembers which loaded models came from a quantised file, so saving one at another precision (float32 above
/// all, which would present rounded weights as exact ones) is refused. The models themselves stay pure data.
/// </summary>
internal static class QuantizedModels
{
    private static readonly ConditionalWeakTable<XLinearModel, object> Loaded = new();

    public static void Mark(XLinearModel model, WeightPrecision precision) => Loaded.AddOrUpdate(model, precision);

    public static WeightPrecision Of(XLinearModel model) => Loaded.TryGetValue(model, out var p) ? (WeightPrecision)p : WeightPrecision.Float32;

    /// <summary>Refuses to save <paramref name="ensemble"/> at <paramref name="precision"/> when a tree was loaded at another quantised precision.</summary>
    /// <exception cref="InvalidOperationException">The conversion would pass rounded weights off as another precision's.</exception>
    public static void CheckSave(XLinearEnsemble ensemble, WeightPrecision precision)
    {
        foreach (var tree in ensemble.Trees)
        {
            var stored = Of(tree);
            if (stored != WeightPrecision.Float32 && stored != precision)
                throw new InvalidOperationException(
                    $"the model was loaded from an {Inference.WeightQuantizer.Name(stored)}-quantised file; quantisation loses information, so it is not saved as " +
                    $"{Inference.WeightQuantizer.Name(precision)}. Quantise the original float32 model instead.");
        }
    }

    /// <summary>The stored precision of <paramref name="ensemble"/>'s trees (they share one file, so one precision).</summary>
    public static WeightPrecision Of(XLinearEnsemble ensemble) => Of(ensemble.Trees[0]);

    /// <summary>
    /// A predictor for a quantised model read into memory (<c>xmr predict --load read</c>): each level is compiled back
    /// into the quantised layout and scored by the quantised kernels, as a mapped open scores it. Re-quantising the
    /// decoded weights gives the stored values back (f16 exactly; i8 values exactly, each row's scale to the last bit or one ulp).
    /// </summary>
    public static XLinearPredictor Predictor(XLinearEnsemble ensemble, PredictOptions? defaults)
    {
        var precision = Of(ensemble);
        var scorers = new ILevelScorer[ensemble.Trees.Count][];
        for (int i = 0; i < scorers.Length; i++)
        {
            var model = ensemble.Trees[i];
            scorers[i] = new ILevelScorer[model.Chain.Depth];
            for (int t = 0; t < model.Chain.Depth; t++)
            {
                var tree = new TreeLevel(model.Chain.Levels[t]);
                scorers[i][t] = new ChunkedLevelScorer(tree, QuantizedLevelArrays.Quantize(tree, model.Weights[t], precision));
            }
        }
        return new XLinearPredictor(scorers, ensemble.FeatureCount, ensemble.LabelCount, ensemble.Bias, defaults, null);
    }
}
