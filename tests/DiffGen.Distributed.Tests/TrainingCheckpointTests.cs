using System;
using System.IO;
using System.Linq;
using DiffGen.Optimization;
using Xunit;

namespace DiffGen.Distributed.Tests;

/// <summary><see cref="TrainingCheckpoint"/>: round trip, atomic replacement, and refusal of every damaged or foreign file.</summary>
public sealed class TrainingCheckpointTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("diffgen-ckpt-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void SaveThenLoad_RestoresParametersOptimizerAndProgress()
    {
        (Parameters<float> p, Sgd<float> sgd) = Trained(seed: 1);
        string path = Path.Combine(_dir, "a.dgck");
        TrainingCheckpoint.Save(path, p, sgd, new TrainingProgress(3, 17, 117, "{\"note\":\"é\"}"));
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp"));

        (Parameters<float> q, Sgd<float> other) = Trained(seed: 2);
        TrainingProgress progress = TrainingCheckpoint.Load(path, q, other);
        Assert.Equal(new TrainingProgress(3, 17, 117, "{\"note\":\"é\"}"), progress);
        Assert.Equal(p.SelectMany(x => x.ValueArray), q.SelectMany(x => x.ValueArray));
        Assert.Equal(sgd.StepCount, other.StepCount);
        Assert.Equal(sgd.MomentumBuffer(0).ToArray(), other.MomentumBuffer(0).ToArray());

        // Continuing both gives the same next step, bit for bit.
        foreach ((Parameters<float> set, Sgd<float> opt) in new[] { (p, sgd), (q, other) })
        {
            set[0].Grad.Fill(0.25f);
            opt.Step();
        }

        Assert.Equal(p[0].ValueArray, q[0].ValueArray);
    }

    [Fact]
    public void Save_ReplacesTheFileWhole()
    {
        (Parameters<float> p, Sgd<float> sgd) = Trained(seed: 1);
        string path = Path.Combine(_dir, "b.dgck");
        File.WriteAllText(path, "an older, longer file that must not leave a tail behind ...........................................");
        TrainingCheckpoint.Save(path, p, sgd, new TrainingProgress(1, 0, 0));
        Assert.Equal(TrainingCheckpoint.Serialize(p, sgd, new TrainingProgress(1, 0, 0)), File.ReadAllBytes(path));
    }

    [Fact]
    public void EveryTruncationAndEveryFlippedByte_IsRefused_NamingTheFile_AndChangesNothing()
    {
        (Parameters<float> p, Sgd<float> sgd) = Trained(seed: 1);
        byte[] good = TrainingCheckpoint.Serialize(p, sgd, new TrainingProgress(2, 5, 55, "meta"));
        (Parameters<float> q, Sgd<float> other) = Trained(seed: 2);
        float[] before = q.SelectMany(x => x.ValueArray).ToArray();
        long stepsBefore = other.StepCount;

        var random = new Random(7);
        int[] cuts = [0, 7, 8, 35, good.Length / 2, good.Length - 5, good.Length - 1];
        foreach (int cut in cuts.Concat(Enumerable.Range(0, 40).Select(_ => random.Next(good.Length))))
        {
            string why = Assert.Throws<InvalidDataException>(() => TrainingCheckpoint.Load(good.AsSpan(0, cut), "ckpt.dgck", q, other)).Message;
            Assert.StartsWith("Checkpoint 'ckpt.dgck' refused: ", why);
        }

        for (int i = 0; i < good.Length; i += Math.Max(1, good.Length / 300))
        {
            byte[] bad = (byte[])good.Clone();
            bad[i] ^= (byte)(1 << (i % 8));
            string why = Assert.Throws<InvalidDataException>(() => TrainingCheckpoint.Load(bad, "ckpt.dgck", q, other)).Message;
            Assert.StartsWith("Checkpoint 'ckpt.dgck' refused: ", why);
        }

        Assert.Equal(before, q.SelectMany(x => x.ValueArray));
        Assert.Equal(stepsBefore, other.StepCount);
    }

    [Fact]
    public void AWholeFileThatDoesNotFit_IsRefused_AndChangesNothing()
    {
        (Parameters<float> p, Sgd<float> sgd) = Trained(seed: 1);
        byte[] data = TrainingCheckpoint.Serialize(p, sgd, new TrainingProgress(1, 0, 10));

        var bigger = new Parameters<float>();
        bigger.Add("w", 7).InitConstant(5f);
        bigger.Add("b", 3);
        var adam = new Adam<float>(bigger);
        string why = Assert.Throws<InvalidDataException>(() => TrainingCheckpoint.Load(data, "x.dgck", bigger, adam)).Message;
        Assert.Contains("Checkpoint 'x.dgck' refused: it does not match this model and optimizer", why);
        Assert.Contains("length mismatch for parameter 'w'", why);
        Assert.All(bigger[0].ValueArray, v => Assert.Equal(5f, v));

        // Right parameters, wrong optimizer kind: refused after the parameters were read, and they are put back.
        (Parameters<float> q, _) = Trained(seed: 3);
        float[] before = q[0].ValueArray.ToArray();
        why = Assert.Throws<InvalidDataException>(() => TrainingCheckpoint.Load(data, "x.dgck", q, new Adam<float>(q))).Message;
        Assert.Contains("it does not match this model and optimizer: ", why);
        Assert.Contains("state buffer count mismatch", why);
        Assert.Equal(before, q[0].ValueArray);
    }

    [Fact]
    public void NotACheckpoint_IsNamedAsSuch()
    {
        (Parameters<float> p, Sgd<float> sgd) = Trained(seed: 1);
        string path = Path.Combine(_dir, "params.bin");
        p.Save(path);
        string why = Assert.Throws<InvalidDataException>(() => TrainingCheckpoint.Load(path, p, sgd)).Message;
        Assert.Contains($"Checkpoint '{path}' refused: bad magic header", why);
        Assert.Throws<FileNotFoundException>(() => TrainingCheckpoint.Load(Path.Combine(_dir, "missing"), p, sgd));
    }

    private static (Parameters<float> Parameters, Sgd<float> Optimizer) Trained(int seed)
    {
        var p = new Parameters<float>();
        p.Add("w", 6).InitUniform(new Random(seed), -1, 1);
        p.Add("b", 2).InitUniform(new Random(seed + 100), -1, 1);
        var sgd = new Sgd<float>(p, 0.1, momentum: 0.9);
        for (int i = 0; i < seed + 2; i++)
        {
            p[0].Grad.Fill(0.1f * (i + 1));
            p[1].Grad.Fill(-0.2f);
            sgd.Step();
        }

        return (p, sgd);
    }
}
