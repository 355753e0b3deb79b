using System;
using System.IO;
using DiffGen.Optimization;
using Xunit;

namespace DiffGen.Tests.Optimization;

/// <summary>Saving and restoring optimizer state resumes training bit for bit.</summary>
public class OptimizerStateTests
{
    public static TheoryData<string> Kinds => new() { "gd", "sgd-dampening", "nesterov", "adam-amsgrad", "adamw" };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void SaveAndLoad_ResumesExactlyLikeAnUninterruptedRun(string kind)
    {
        // Uninterrupted: 6 steps.
        (Parameters<float> straight, _) = OptimizerHarness.Create<float>(seed: 31);
        IOptimizer a = Create(kind, straight);
        var rngA = new Random(32);
        for (int s = 0; s < 6; s++)
        {
            OptimizerHarness.SetRandomGradients(straight, rngA, OptimizerHarness.GradientScales[s]);
            a.Step();
            a.LearningRate *= 0.9;
        }

        // Interrupted after 3 steps: save parameters and state, restore into fresh objects, continue.
        (Parameters<float> first, _) = OptimizerHarness.Create<float>(seed: 31);
        IOptimizer b = Create(kind, first);
        var rngB = new Random(32);
        for (int s = 0; s < 3; s++)
        {
            OptimizerHarness.SetRandomGradients(first, rngB, OptimizerHarness.GradientScales[s]);
            b.Step();
            b.LearningRate *= 0.9;
        }

        using var parameters = new MemoryStream();
        using var state = new MemoryStream();
        first.Save(parameters);
        b.SaveState(state);
        parameters.Position = 0;
        state.Position = 0;

        (Parameters<float> resumed, _) = OptimizerHarness.Create<float>(seed: 99);
        IOptimizer c = Create(kind, resumed);
        resumed.Load(parameters);
        c.LoadState(state);
        Assert.Equal(3, c.StepCount);
        Assert.Equal(b.LearningRate, c.LearningRate);
        for (int s = 3; s < 6; s++)
        {
            OptimizerHarness.SetRandomGradients(resumed, rngB, OptimizerHarness.GradientScales[s]);
            c.Step();
            c.LearningRate *= 0.9;
        }

        for (int k = 0; k < straight.Count; k++)
        {
            Assert.Equal(straight[k].ValueArray, resumed[k].ValueArray);
        }
    }

    [Fact]
    public void LoadState_RejectsOtherKindsAndShapes_SayingWhere()
    {
        (Parameters<float> set, _) = OptimizerHarness.Create<float>(seed: 1);
        using var adamState = new MemoryStream();
        new Adam<float>(set).SaveState(adamState);
        byte[] bytes = adamState.ToArray();

        var kind = Assert.Throws<InvalidDataException>(() => new AdamW<float>(set).LoadState(new MemoryStream(bytes)));
        Assert.Equal("stream: byte 22: optimizer mismatch: the file holds Adam state, this optimizer is AdamW.", kind.Message);

        var ams = Assert.Throws<InvalidDataException>(() => new Adam<float>(set, amsgrad: true).LoadState(new MemoryStream(bytes)));
        Assert.Equal("stream: byte 16: state buffer count mismatch: the file has 8, this set has 12.", ams.Message);

        var asParameters = Assert.Throws<InvalidDataException>(() => set.Load(new MemoryStream(bytes)));
        Assert.StartsWith("stream: byte 0: bad magic header", asParameters.Message);

        bytes[^10] ^= 4;
        var corrupt = Assert.Throws<InvalidDataException>(() => new Adam<float>(set).LoadState(new MemoryStream(bytes)));
        Assert.Contains("checksum mismatch", corrupt.Message);

        string path = Path.Combine(Path.GetTempPath(), $"diffgen-state-{Guid.NewGuid():N}.bin");
        try
        {
            var sgd = new Sgd<float>(set, 0.1, momentum: 0.9);
            sgd.SaveState(path);
            new Sgd<float>(set, 0.5, momentum: 0.9).LoadState(path);
            File.WriteAllBytes(path, File.ReadAllBytes(path)[..30]);
            var truncated = Assert.Throws<InvalidDataException>(() => sgd.LoadState(path));
            Assert.StartsWith($"{path}: byte 30: truncated", truncated.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static IOptimizer Create(string kind, Parameters<float> set) => kind switch
    {
        "gd" => new GradientDescent<float>(set, 0.1),
        "sgd-dampening" => new Sgd<float>(set, 0.1, momentum: 0.9, dampening: 0.3, weightDecay: 0.01),
        "nesterov" => new Sgd<float>(set, 0.1, momentum: 0.8, nesterov: true),
        "adam-amsgrad" => new Adam<float>(set, 0.05, beta2: 0.9, amsgrad: true, weightDecay: 0.01),
        "adamw" => new AdamW<float>(set, 0.05),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
