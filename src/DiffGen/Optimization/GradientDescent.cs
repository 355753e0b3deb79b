using System;
using System.Numerics;
using System.Numerics.Tensors;

namespace DiffGen.Optimization;

/// <summary>Plain gradient descent: θ ← θ − η ∇f (vectorised with <see cref="TensorPrimitives"/>).</summary>
/// <typeparam name="T">The element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class GradientDescent<T> : Optimizer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Parameter<T>[] _parameters;

    /// <summary>Creates gradient descent over every parameter currently in <paramref name="parameters"/>.</summary>
    /// <param name="parameters">The set to optimise.</param>
    /// <param name="learningRate">The step size η, finite and not negative.</param>
    public GradientDescent(Parameters<T> parameters, double learningRate)
        : base(parameters, learningRate)
    {
        _parameters = [.. parameters];
    }

    /// <inheritdoc/>
    protected override void StepCore(long step)
    {
        T negativeRate = T.CreateTruncating(-LearningRate);
        foreach (Parameter<T> p in _parameters)
        {
            // θ + (−η)·g, in place.
            TensorPrimitives.MultiplyAdd<T>(p.Grad, negativeRate, p.Value, p.Value);
        }
    }
}
