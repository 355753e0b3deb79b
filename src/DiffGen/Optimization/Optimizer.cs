using System;
using System.Numerics;

namespace DiffGen.Optimization;

/// <summary>
/// The base of the optimizers: holds the parameter set, the learning rate and the step count, and checks that the
/// set has not grown since the optimizer was created (its per-parameter state is sized then, as in <c>torch.optim</c>).
/// </summary>
/// <typeparam name="T">The element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
public abstract class Optimizer<T> : IOptimizer
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly int _parameterCount;
    private double _learningRate;

    /// <summary>Creates an optimizer of every parameter currently in <paramref name="parameters"/>.</summary>
    /// <param name="parameters">The set to optimise; add every parameter before creating the optimizer.</param>
    /// <param name="learningRate">The initial learning rate, finite and not negative.</param>
    /// <exception cref="ArgumentException"><paramref name="parameters"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="learningRate"/> is negative or not finite.</exception>
    protected Optimizer(Parameters<T> parameters, double learningRate)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (parameters.Count == 0)
        {
            throw new ArgumentException("The parameter set is empty: add the parameters before creating the optimizer.", nameof(parameters));
        }

        Parameters = parameters;
        _parameterCount = parameters.Count;
        LearningRate = learningRate;
    }

    /// <summary>The optimised parameter set.</summary>
    public Parameters<T> Parameters { get; }

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative or not finite.</exception>
    public double LearningRate
    {
        get => _learningRate;
        set
        {
            if (!double.IsFinite(value) || value < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "The learning rate must be finite and not negative.");
            }

            _learningRate = value;
        }
    }

    /// <inheritdoc/>
    public long StepCount { get; private set; }

    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException">Parameters were added to the set after this optimizer was created.</exception>
    public void Step()
    {
        if (Parameters.Count != _parameterCount)
        {
            throw new InvalidOperationException(
                $"The parameter set has {Parameters.Count} parameters but had {_parameterCount} when this optimizer was created; create the optimizer after adding every parameter.");
        }

        StepCount++;
        StepCore(StepCount);
    }

    /// <inheritdoc/>
    public void ZeroGrad() => Parameters.ZeroGrad();

    /// <summary>Applies one update to every parameter; must not allocate.</summary>
    /// <param name="step">The 1-based number of this step (t in the bias corrections).</param>
    protected abstract void StepCore(long step);

    /// <summary>Throws unless <paramref name="value"/> is finite and not negative.</summary>
    /// <param name="value">The hyperparameter.</param>
    /// <param name="name">Its parameter name.</param>
    /// <returns><paramref name="value"/>.</returns>
    private protected static double NonNegative(double value, string name) =>
        double.IsFinite(value) && value >= 0 ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be finite and not negative.");

    /// <summary>Throws unless 0 ≤ <paramref name="value"/> &lt; 1.</summary>
    /// <param name="value">The hyperparameter.</param>
    /// <param name="name">Its parameter name.</param>
    /// <returns><paramref name="value"/>.</returns>
    private protected static double UnitInterval(double value, string name) =>
        value >= 0 && value < 1 ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be in [0, 1).");
}
