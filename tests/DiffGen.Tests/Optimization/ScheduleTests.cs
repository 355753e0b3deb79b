using System;
using DiffGen.Optimization;
using Xunit;

namespace DiffGen.Tests.Optimization;

/// <summary>Schedules against their closed forms (tolerance 1e-15 relative; values from torch's formulas).</summary>
public class ScheduleTests
{
    [Fact]
    public void Constant_KeepsTheBaseRate()
    {
        for (int epoch = 0; epoch < 10; epoch++)
        {
            Assert.Equal(0.3, LearningRateSchedule.Constant.GetLearningRate(0.3, epoch));
        }
    }

    [Fact]
    public void Step_DecaysByGammaEveryStepSizeEpochs()
    {
        LearningRateSchedule s = LearningRateSchedule.Step(stepSize: 3, gamma: 0.5);
        double[] expected = [1, 1, 1, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.125];
        for (int epoch = 0; epoch < expected.Length; epoch++)
        {
            Assert.Equal(expected[epoch], s.GetLearningRate(1.0, epoch));
        }
    }

    [Fact]
    public void Cosine_MatchesClosedForm()
    {
        const double baseRate = 0.1, min = 0.001;
        const int tMax = 10;
        LearningRateSchedule s = LearningRateSchedule.Cosine(tMax, min);
        for (int epoch = 0; epoch <= 2 * tMax; epoch++)
        {
            double expected = min + ((baseRate - min) * (1 + Math.Cos(Math.PI * epoch / tMax)) / 2);
            Assert.Equal(expected, s.GetLearningRate(baseRate, epoch), 15);
        }

        Assert.Equal(baseRate, s.GetLearningRate(baseRate, 0), 15);
        Assert.Equal((baseRate + min) / 2, s.GetLearningRate(baseRate, 5), 15);
        Assert.Equal(min, s.GetLearningRate(baseRate, tMax), 15);
    }

    [Fact]
    public void LinearWarmup_RampsThenHandsOverToTheInnerScheduleFromItsEpochZero()
    {
        LearningRateSchedule s = LearningRateSchedule.Step(2, 0.1).WithLinearWarmup(warmupEpochs: 4, startFactor: 0.2);
        double[] expected = [0.2, 0.4, 0.6, 0.8, 1, 1, 0.1, 0.1, 0.01];
        for (int epoch = 0; epoch < expected.Length; epoch++)
        {
            Assert.Equal(expected[epoch], s.GetLearningRate(1.0, epoch), 15);
        }
    }

    [Fact]
    public void Scheduler_SetsTheOptimizerRateEachEpoch()
    {
        var set = new Parameters<float>();
        set.Add("w", 3);
        var sgd = new Sgd<float>(set, learningRate: 0.8);
        var scheduler = new LearningRateScheduler(sgd, LearningRateSchedule.Cosine(4));
        Assert.Equal(0.8, sgd.LearningRate, 15);
        double[] expected = [0.8, 0.8 * (1 + Math.Cos(Math.PI / 4)) / 2, 0.4, 0.8 * (1 + Math.Cos(3 * Math.PI / 4)) / 2, 0];
        for (int epoch = 0; epoch < expected.Length; epoch++)
        {
            Assert.Equal(epoch, scheduler.Epoch);
            Assert.Equal(expected[epoch], sgd.LearningRate, 15);
            scheduler.Step();
        }

        Assert.Equal(0.8, scheduler.BaseLearningRate);
    }

    [Fact]
    public void Scheduler_WithWarmup_StartsAtTheStartFactor()
    {
        var set = new Parameters<float>();
        set.Add("w", 3);
        var adam = new Adam<float>(set, learningRate: 0.01);
        _ = new LearningRateScheduler(adam, LearningRateSchedule.Constant.WithLinearWarmup(5, 0.1));
        Assert.Equal(0.001, adam.LearningRate, 15);
    }

    [Fact]
    public void InvalidArguments_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.Step(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.Step(1, -0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.Cosine(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.Cosine(5, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.Constant.WithLinearWarmup(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.Constant.WithLinearWarmup(3, 0));
    }
}
