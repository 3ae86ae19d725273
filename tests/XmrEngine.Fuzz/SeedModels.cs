using XmrEngine.Indexing;
using XmrEngine.Models;
using XmrEngine.Sparse;
using XmrEngine.Training;

namespace XmrEngine.Fuzz;

/// <summary>A small XR-Linear model (a two-level tree over the seed matrices), trained once per process.</summary>
internal static class SeedModels
{
    private static readonly Lazy<XLinearModel> Trained = new(() => XLinearTrainer.Train(
        SeedMatrices.Features.NormalizeRows(), SeedMatrices.Labels,
        new XLinearTrainOptions { Indexer = new HierarchicalKMeansOptions { NrSplits = 2, MaxLeafSize = 2 } }));

    public static XLinearModel XLinear => Trained.Value;
}
