using System;
using DiffGen.Optimization;
using Xunit;

namespace DiffGen.Tests.Optimization;

public class AllocationTests
{
    public static TheoryData<string> Optimizers => new() { "gd", "sgd", "nesterov", "adam", "adamw-amsgrad", "adam-double" };

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Step_AllocatesNothing_AfterWarmUp(string kind)
    {
        IOptimizer optimizer = kind switch
        {
            "gd" => new GradientDescent<float>(Set<float>(), 0.1),
            "sgd" => new Sgd<float>(Set<float>(), 0.1, momentum: 0.9, dampening: 0.1, weightDecay: 1e-4),
            "nesterov" => new Sgd<float>(Set<float>(), 0.1, momentum: 0.9, nesterov: true, maximize: true),
            "adam" => new Adam<float>(Set<float>(), weightDecay: 1e-4),
            "adamw-amsgrad" => new AdamW<float>(Set<float>(), amsgrad: true),
            "adam-double" => new Adam<double>(Set<double>(), amsgrad: true),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        var scheduler = new LearningRateScheduler(optimizer, LearningRateSchedule.Cosine(50).WithLinearWarmup(3));

        for (int i = 0; i < 5; i++)
        {
            optimizer.Step();
            optimizer.ZeroGrad();
            scheduler.Step();
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            optimizer.Step();
            optimizer.ZeroGrad();
            scheduler.Step();
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated == 0, $"{kind}: 100 steps allocated {allocated} bytes.");
    }

    private static Parameters<T> Set<T>()
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var set = new Parameters<T>();
        var rng = new Random(1);
        set.Add("w1", 1000).InitKaimingNormal(rng, 100).GradArray.AsSpan().Fill(T.CreateTruncating(0.01));
        set.Add("b1", 13).GradArray.AsSpan().Fill(T.One);
        return set;
    }
}
