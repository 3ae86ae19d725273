using XmrEngine.Indexing;
using XmrEngine.Inference;
using XmrEngine.Kernels;
using XmrEngine.Persistence;
using XmrEngine.Sparse;
using XmrEngine.Tests.Support;
using XmrEngine.Training;

namespace XmrEngine.Tests.Training;

/// <summary>
/// The training record is produced by the library's training API from the options it used, and saved by the library's
/// <see cref="XLinearModelFile.Save(string, XmrEngine.Models.XLinearEnsemble, ModelMetadata?, bool, int)"/>, whoever calls it.
/// </summary>
public class TrainingRecordTests
{
    private static readonly (CsrMatrix X, CsrMatrix Y) Data = SyntheticData.Make(n: 600, d: 300, labels: 80, seed: 5);

    private static readonly XLinearTrainOptions Options = new()
    {
        Threads = 1, Seed = 4, Cp = 2, Eps = 0.3, Threshold = 0.05f, Negatives = NegativeSampling.TfnMan, ManBeamSize = 7,
        Indexer = new HierarchicalKMeansOptions { NrSplits = 4, MaxLeafSize = 8, EmptyRowsLast = true },
    };

    [Test]
    public void TrainThenSave_CarriesTheTypedRecordOfTheOptionsUsed()
    {
        using var temp = new TempDir();
        string path = temp.File("m.xmr");
        var model = XLinearTrainer.Train(Data.X, Data.Y, Options with { Trees = 3 });
        var expected = new TrainingRecord
        {
            Solver = SolverType.L2Hinge, Negatives = NegativeSampling.TfnMan, NrSplits = 4, MaxLeafSize = 8, EmptyLabelsLast = true,
            Cp = 2, Cn = 1, Eps = 0.3, Threshold = 0.05f, Seed = 4, Trees = 1, ManBeamSize = 7,
        };
        Assert.That(TrainingRecord.Of(model), Is.EqualTo(expected), "Train trains one tree whatever Trees says");

        XLinearModelFile.Save(path, model);
        XLinearModelFile.Load(path, out var metadata);
        Assert.That(metadata.Training, Is.EqualTo(expected));
        Assert.That(metadata.Prediction.BeamSize, Is.EqualTo(7), "without metadata the file's beam is the one MAN negatives were mined with");
        // The keys, order and text `xmr train` has always written (the mining beam is the file's beam_size, not repeated).
        Assert.That(metadata.ToJson(), Is.EqualTo(
            "{\"beam_size\":7,\"top_k\":10,\"post_processor\":\"l3-hinge\",\"training\":{\"solver\":\"l2-hinge\",\"negatives\":\"tfn\\u002Bman\"," +
            "\"nr_splits\":\"4\",\"max_leaf_size\":\"8\",\"threshold\":\"0.05\",\"seed\":\"4\",\"empty_labels_last\":\"true\",\"cp\":\"2\",\"cn\":\"1\",\"eps\":\"0.3\"}}"));
    }

    [Test]
    public void Ensembles_RecordTheirTreeCount_AndEachTreeItsOwnSeed()
    {
        using var temp = new TempDir();
        string path = temp.File("e.xmr");
        var options = Options with { Negatives = NegativeSampling.Tfn, Trees = 2 };
        var ensemble = XLinearTrainer.TrainEnsemble(Data.X, Data.Y, options);
        Assert.That(TrainingRecord.Of(ensemble), Is.EqualTo(TrainingRecord.From(options)));
        Assert.That(TrainingRecord.Of(ensemble)!.ManBeamSize, Is.Null, "TFN mines nothing");
        Assert.That(TrainingRecord.Of(ensemble.Trees[1]), Is.EqualTo(TrainingRecord.From(options with { Seed = 5, Trees = 1 })));
        XLinearModelFile.Save(path, ensemble);
        XLinearModelFile.LoadEnsemble(path, out var metadata);
        Assert.That(metadata.Training, Is.EqualTo(TrainingRecord.From(options)));
        Assert.That(metadata.Prediction, Is.EqualTo(PredictOptions.Default));
        Assert.That(metadata.ToJson(), Does.Contain("\"seed\":\"4\",\"trees\":\"2\","));
    }

    [Test]
    public void GivenMetadataKeepsItsRecord_OrTakesTheModels()
    {
        using var temp = new TempDir();
        var model = XLinearTrainer.Train(Data.X, Data.Y, Options);
        var named = new ModelMetadata { Training = TrainingRecord.Of(model)! with { Preset = "mine" }, Prediction = PredictOptions.Default with { BeamSize = 7 } };
        XLinearModelFile.Save(temp.File("named.xmr"), model, named);
        XLinearModelFile.Load(temp.File("named.xmr"), out var read);
        Assert.That(read, Is.EqualTo(named));

        // A prediction beam other than the mining beam: the file says both.
        XLinearModelFile.Save(temp.File("wide.xmr"), model, new ModelMetadata { Prediction = PredictOptions.Default with { BeamSize = 20 } });
        XLinearModelFile.Load(temp.File("wide.xmr"), out read);
        Assert.That((read.Prediction.BeamSize, read.Training!.ManBeamSize), Is.EqualTo((20, 7)));
        Assert.That(read.ToJson(), Does.EndWith("\"eps\":\"0.3\",\"man_beam_size\":\"7\"}}"));
    }

    [Test]
    public void ModelsOnASuppliedTree_OrBuiltByHand_CarryNoRecord()
    {
        using var temp = new TempDir();
        var chain = XLinearTrainer.BuildTree(Data.X, Data.Y, Options);
        var model = XLinearTrainer.Train(Data.X, Data.Y, chain, Options);
        Assert.That(TrainingRecord.Of(model), Is.Null, "how the supplied tree was built is not known");
        XLinearModelFile.Save(temp.File("m.xmr"), model);
        XLinearModelFile.Load(temp.File("m.xmr"), out var metadata);
        Assert.That(metadata, Is.SameAs(ModelMetadata.Default), "nothing to record, no metadata written");
    }

    [Test]
    public void BuildTree_IsTheTreeTrainBuilds()
    {
        var chain = XLinearTrainer.BuildTree(Data.X, Data.Y, Options);
        var model = XLinearTrainer.Train(Data.X, Data.Y, Options);
        for (int t = 0; t < chain.Depth; t++)
            Assert.That(chain.Levels[t].Indices.ToArray(), Is.EqualTo(model.Chain.Levels[t].Indices.ToArray()), $"level {t}");
        XLinearTrainerTests.AssertSameModel(XLinearTrainer.Train(Data.X, Data.Y, chain, Options), model);
    }

    [Test]
    public void TunedOptions_MineWithTheChosenBeam()
    {
        var trial = new TuningTrial(0.5, 2, PredictOptions.Default with { BeamSize = 20 }, 50, 40, 30, 1);
        var applied = new TuningResult([trial], trial, 10, 5).Apply(Options);
        Assert.That((applied.Cp, applied.Cn, applied.Trees, applied.ManBeamSize), Is.EqualTo((0.5, 0.5, 2, 20)));
    }
}
