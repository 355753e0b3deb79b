using System;

namespace DiffGen.Optimization;

/// <summary>
/// Sets an optimizer's <see cref="IOptimizer.LearningRate"/> from a <see cref="LearningRateSchedule"/> once per epoch,
/// like the <c>torch.optim.lr_scheduler</c> classes: create it before training (it sets the epoch-0 rate) and call
/// <see cref="Step"/> at the end of every epoch.
/// </summary>
public sealed class LearningRateScheduler
{
    /// <summary>Takes the optimizer's current rate as the base rate η₀ and applies the schedule's epoch-0 rate.</summary>
    /// <param name="optimizer">The optimizer whose rate is driven.</param>
    /// <param name="schedule">The schedule.</param>
    public LearningRateScheduler(IOptimizer optimizer, LearningRateSchedule schedule)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(schedule);
        Optimizer = optimizer;
        Schedule = schedule;
        BaseLearningRate = optimizer.LearningRate;
        Apply();
    }

    /// <summary>The optimizer whose rate is driven.</summary>
    public IOptimizer Optimizer { get; }

    /// <summary>The schedule.</summary>
    public LearningRateSchedule Schedule { get; }

    /// <summary>η₀, the optimizer's rate when this scheduler was created.</summary>
    public double BaseLearningRate { get; }

    /// <summary>The current epoch, from 0.</summary>
    public int Epoch { get; private set; }

    /// <summary>The rate the schedule gives for the current epoch (and that the optimizer now has).</summary>
    public double LearningRate => Schedule.GetLearningRate(BaseLearningRate, Epoch);

    /// <summary>Ends the current epoch: advances <see cref="Epoch"/> and sets the optimizer's rate for the next one.</summary>
    public void Step()
    {
        Epoch++;
        Apply();
    }

    private void Apply() => Optimizer.LearningRate = LearningRate;
}
