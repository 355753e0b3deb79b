using System.IO;

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

    /// <summary>Writes the optimizer's state (step count, learning rate, momentum/moment buffers) to resume training later.</summary>
    /// <param name="stream">A writable stream; left open.</param>
    void SaveState(Stream stream);

    /// <summary>Restores state written by <see cref="SaveState(Stream)"/> from an optimizer of the same kind and shape.</summary>
    /// <param name="stream">A readable stream; left open.</param>
    /// <exception cref="InvalidDataException">The data is corrupt, truncated or does not match (the message says what and where).</exception>
    void LoadState(Stream stream);
}
