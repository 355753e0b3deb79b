using System;

namespace DiffGen.Optimization;

/// <summary>
/// A learning rate as a closed-form function of the epoch and the base rate. A <see cref="LearningRateScheduler"/>
/// applies one to an optimizer once per epoch.
/// </summary>
public abstract class LearningRateSchedule
{
    /// <summary>The rate stays the base rate.</summary>
    public static LearningRateSchedule Constant { get; } = new ConstantSchedule();

    /// <summary>The learning rate at <paramref name="epoch"/>.</summary>
    /// <param name="baseLearningRate">The optimizer's rate when the scheduler was created (η₀).</param>
    /// <param name="epoch">The epoch, from 0.</param>
    /// <returns>The rate to use during that epoch.</returns>
    public abstract double GetLearningRate(double baseLearningRate, int epoch);

    /// <summary>
    /// <c>torch.optim.lr_scheduler.StepLR</c>: η₀ · γ^⌊epoch / <paramref name="stepSize"/>⌋.
    /// </summary>
    /// <param name="stepSize">The number of epochs between decays, positive.</param>
    /// <param name="gamma">The decay factor γ, finite and not negative.</param>
    /// <returns>The schedule.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public static LearningRateSchedule Step(int stepSize, double gamma = 0.1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stepSize);
        if (!double.IsFinite(gamma) || gamma < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "gamma must be finite and not negative.");
        }

        return new StepSchedule(stepSize, gamma);
    }

    /// <summary>
    /// <c>torch.optim.lr_scheduler.CosineAnnealingLR</c> in closed form:
    /// η_min + (η₀ − η_min)(1 + cos(π · epoch / <paramref name="maxEpochs"/>)) / 2.
    /// </summary>
    /// <param name="maxEpochs">T_max, the half period in epochs, positive.</param>
    /// <param name="minLearningRate">η_min, finite and not negative.</param>
    /// <returns>The schedule.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public static LearningRateSchedule Cosine(int maxEpochs, double minLearningRate = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxEpochs);
        if (!double.IsFinite(minLearningRate) || minLearningRate < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(minLearningRate), minLearningRate, "The minimum rate must be finite and not negative.");
        }

        return new CosineSchedule(maxEpochs, minLearningRate);
    }

    /// <summary>
    /// Prepends a linear warm-up: for epoch &lt; <paramref name="warmupEpochs"/> the rate is
    /// η₀ · (f + (1 − f) · epoch / <paramref name="warmupEpochs"/>) with f = <paramref name="startFactor"/>; afterwards it is
    /// this schedule at epoch − <paramref name="warmupEpochs"/>. (PyTorch's
    /// <c>SequentialLR([LinearLR(start_factor=f, total_iters=w), this], milestones=[w])</c>.)
    /// </summary>
    /// <param name="warmupEpochs">w, the number of warm-up epochs, positive.</param>
    /// <param name="startFactor">f, the fraction of η₀ at epoch 0, in (0, 1].</param>
    /// <returns>The schedule with warm-up.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public LearningRateSchedule WithLinearWarmup(int warmupEpochs, double startFactor = 1.0 / 3)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(warmupEpochs);
        if (!(startFactor > 0 && startFactor <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(startFactor), startFactor, "The start factor must be in (0, 1].");
        }

        return new WarmupSchedule(this, warmupEpochs, startFactor);
    }

    private sealed class ConstantSchedule : LearningRateSchedule
    {
        public override double GetLearningRate(double baseLearningRate, int epoch) => baseLearningRate;
    }

    private sealed class StepSchedule(int stepSize, double gamma) : LearningRateSchedule
    {
        public override double GetLearningRate(double baseLearningRate, int epoch) =>
            baseLearningRate * Math.Pow(gamma, epoch / stepSize);
    }

    private sealed class CosineSchedule(int maxEpochs, double minLearningRate) : LearningRateSchedule
    {
        public override double GetLearningRate(double baseLearningRate, int epoch) =>
            minLearningRate + ((baseLearningRate - minLearningRate) * (1 + Math.Cos(Math.PI * epoch / maxEpochs)) / 2);
    }

    private sealed class WarmupSchedule(LearningRateSchedule inner, int warmupEpochs, double startFactor) : LearningRateSchedule
    {
        public override double GetLearningRate(double baseLearningRate, int epoch) =>
            epoch < warmupEpochs
                ? baseLearningRate * (startFactor + ((1 - startFactor) * epoch / warmupEpochs))
                : inner.GetLearningRate(baseLearningRate, epoch - warmupEpochs);
    }
}
