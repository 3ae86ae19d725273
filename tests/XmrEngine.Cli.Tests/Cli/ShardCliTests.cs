using XmrEngine.IO;

namespace XmrEngine.Tests.Cli;

/// <summary><c>xmr shard</c> and <c>xmr predict -m DIR</c> as a user runs them.</summary>
public class ShardCliTests
{
    private static CliData Data => CliData.Shared;

    [Test]
    public void ShardThenPredict_WritesTheSamePredictionsAsTheModelFile()
    {
        using var dir = CliData.Scratch();
        string whole = dir.File("whole.npz");
        var single = Xmr.Run("predict", "-x", Data.Test, "-m", Data.Model, "-o", whole, "--top-k", "7");
        Assert.That(single.ExitCode, Is.EqualTo(0), single.ToString());
        var expected = NpzFormat.ReadCsr(whole);
        foreach (var (level, shards) in new[] { (1, 1), (1, 2), (2, 3) })
        {
            string sharded = dir.File($"sharded-{level}-{shards}"), output = dir.File($"p-{level}-{shards}.npz");
            var shard = Xmr.Run("shard", "-m", Data.Model, "--level", level.ToString(), "--shards", shards.ToString(), "-o", sharded);
            Assert.That(shard.ExitCode, Is.EqualTo(0), shard.ToString());
            Assert.That(shard.Out, Does.Contain($"at level {level} into {shards} shards"), shard.ToString());
            var predict = Xmr.Run("predict", "-x", Data.Test, "-m", sharded, "-o", output, "--top-k", "7");
            Assert.That(predict.ExitCode, Is.EqualTo(0), predict.ToString());
            Assert.That(predict.Out, Does.Contain($"sharded: meta-model and {shards} shards"), predict.ToString());
            var actual = NpzFormat.ReadCsr(output);
            Assert.That(actual.Indices.ToArray(), Is.EqualTo(expected.Indices.ToArray()), $"level {level}, {shards} shards: labels");
            Assert.That(actual.Values.ToArray(), Is.EqualTo(expected.Values.ToArray()), $"level {level}, {shards} shards: scores");
            Assert.That(actual.Pointers.ToArray(), Is.EqualTo(expected.Pointers.ToArray()), $"level {level}, {shards} shards: rows");
        }
    }

    [Test]
    public void BadArguments_AreUserErrors_NamingTheFlag()
    {
        using var dir = CliData.Scratch();
        string output = dir.File("s");
        Xmr.AssertUserError(Xmr.Run("shard", "-m", Data.Model, "--level", "0", "--shards", "1", "-o", output), "--level must be in [1,");
        Xmr.AssertUserError(Xmr.Run("shard", "-m", Data.Model, "--level", "1", "--shards", "999", "-o", output), "--shards must be in [1,");
        string two = dir.File("two.xmr");
        Assert.That(Xmr.Run("train", "-x", Data.Train, "-m", two, "--trees", "2", "--nr-splits", "4", "--max-leaf-size", "8", "--threads", "1").ExitCode, Is.EqualTo(0));
        Xmr.AssertUserError(Xmr.Run("shard", "-m", two, "--level", "1", "--shards", "2", "-o", output), "ensemble of 2 trees", "one-tree");
    }

    [Test]
    public void CorruptShard_FailsPredict_NamingTheFile()
    {
        using var dir = CliData.Scratch();
        string sharded = dir.File("sharded");
        Assert.That(Xmr.Run("shard", "-m", Data.Model, "--level", "1", "--shards", "2", "-o", sharded).ExitCode, Is.EqualTo(0));
        string shard = Directory.GetFiles(sharded, "shard-001.xmr", SearchOption.AllDirectories).Single();
        var bytes = File.ReadAllBytes(shard);
        bytes[^10] ^= 1;
        File.WriteAllBytes(shard, bytes);
        Xmr.AssertUserError(Xmr.Run("predict", "-x", Data.Test, "-m", sharded, "-o", dir.File("p.npz")), shard, "sha256");
    }
}
