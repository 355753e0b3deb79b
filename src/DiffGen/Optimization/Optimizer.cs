using System;
using System.Collections.Generic;
using System.IO;
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

    /// <summary>
    /// Writes the optimizer's state — its kind, <see cref="StepCount"/>, <see cref="LearningRate"/> and buffers (momentum,
    /// moments; named as in PyTorch, e.g. <c>exp_avg/w1</c>) — to <paramref name="path"/>, to resume training later.
    /// </summary>
    /// <param name="path">The file to create or replace.</param>
    /// <remarks>
    /// The format is that of <see cref="Parameters{T}.Save(string)"/> with the magic <c>DGOPTSTA</c> and, after the
    /// count, a u16-prefixed UTF-8 kind (<c>Sgd</c>, <c>Adam</c>, …), an i64 step count and an f64 learning rate.
    /// Hyperparameters other than the learning rate are not stored: create the optimizer with the same ones.
    /// </remarks>
    public void SaveState(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
        SaveState(stream);
    }

    /// <summary>Writes the optimizer's state to <paramref name="stream"/> (see <see cref="SaveState(string)"/>).</summary>
    /// <param name="stream">A writable stream; left open.</param>
    public void SaveState(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ParameterFile.Write(stream, StateBuffers(), new ParameterFile.StateHeader(Kind, StepCount, LearningRate));
    }

    /// <summary>
    /// Restores state written by <see cref="SaveState(string)"/> from an optimizer of the same kind over a parameter set
    /// with the same names and lengths.
    /// </summary>
    /// <param name="path">The file to read.</param>
    /// <exception cref="InvalidDataException">
    /// The file is corrupt, truncated, of another optimizer kind or does not match the buffers (the message says what and
    /// at which byte offset); the state is unchanged then.
    /// </exception>
    public void LoadState(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        Restore(ParameterFile.Read(stream, StateBuffers(), path, requireEnd: true, Kind));
    }

    /// <summary>Restores state written by <see cref="SaveState(Stream)"/> from the current position of <paramref name="stream"/>.</summary>
    /// <param name="stream">A readable stream, left open and positioned after the checksum.</param>
    /// <exception cref="InvalidDataException">As for <see cref="LoadState(string)"/>.</exception>
    public void LoadState(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Restore(ParameterFile.Read(stream, StateBuffers(), stream is FileStream fs ? fs.Name : "stream", requireEnd: false, Kind));
    }

    /// <summary>The state buffers that <see cref="SaveState(Stream)"/> persists, named (e.g. <c>exp_avg/w1</c>), in a fixed order.</summary>
    /// <returns>The live buffers (not copies); none by default.</returns>
    protected virtual IReadOnlyList<(string Name, T[] Values)> StateBuffers() => [];

    /// <summary>Called after <see cref="LoadState(Stream)"/> has filled the buffers and restored <see cref="StepCount"/>.</summary>
    protected virtual void OnStateLoaded()
    {
    }

    private string Kind => GetType().Name.Split('`')[0];

    private void Restore(ParameterFile.StateHeader? header)
    {
        ParameterFile.StateHeader state = header!.Value;
        StepCount = state.Step;
        LearningRate = state.LearningRate;
        OnStateLoaded();
    }

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
