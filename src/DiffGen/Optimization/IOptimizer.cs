namespace DiffGen.Optimization;

/// <summary>What a learning-rate scheduler and a training loop need from any optimizer, whatever its element type.</summary>
public interface IOptimizer
{
    /// <summary>The learning rate η used by the next <see cref="Step"/>; schedulers set it once per epoch.</summary>
    double LearningRate { get; set; }

    /// <summary>The number of completed <see cref="Step"/> calls.</summary>
    long StepCount { get; }

    /// <summary>Updates every parameter from its gradient (one optimisation step); allocates nothing.</summary>
    void Step();

    /// <summary>Sets every gradient buffer of the optimised parameters to zero.</summary>
    void ZeroGrad();
}
