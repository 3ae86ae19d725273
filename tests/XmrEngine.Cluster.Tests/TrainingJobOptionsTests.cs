using XmrEngine.Cluster.Grains;
using XmrEngine.Training;

namespace XmrEngine.Cluster.Tests;

/// <summary>A subtree job's options carry what its nodes' solves need, PECOS's exact arithmetic included.</summary>
public class TrainingJobOptionsTests
{
    [TestCase(false)]
    [TestCase(true)]
    public void ExactPecosTravelsToTheSilo(bool exact)
    {
        var sent = new XLinearTrainOptions { ExactPecos = exact, Cp = 2, Eps = 0.2, Seed = 5 };
        var received = TrainingJobOptions.From(sent).ToOptions();
        Assert.That((received.ExactPecos, received.Cp, received.Eps, received.Seed), Is.EqualTo((exact, 2.0, 0.2, 5)));
    }
}
