using System;
using System.Collections.Generic;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace DiffGen.Optimization;

/// <summary>
/// Stochastic gradient descent with momentum, dampening, Nesterov momentum, L2 weight decay and maximisation:
/// exactly <c>torch.optim.SGD</c>'s algorithm.
/// </summary>
/// <typeparam name="T">The element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
/// <remarks>
/// For each element, with g the gradient, μ the momentum, τ the dampening and λ the weight decay:
/// <code>
/// g ← maximize ? −g : g
/// g ← g + λθ                                 (if λ ≠ 0)
/// b ← g at the first step, else μb + (1 − τ)g (if μ ≠ 0)
/// g ← nesterov ? g + μb : b                   (if μ ≠ 0)
/// θ ← θ − ηg
/// </code>
/// The first step copies g into the momentum buffer without dampening, as PyTorch does.
/// </remarks>
public sealed class Sgd<T> : Optimizer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Parameter<T>[] _parameters;
    private readonly T[][]? _momentumBuffers;
    private bool _buffersInitialised;

    /// <summary>Creates SGD over every parameter currently in <paramref name="parameters"/>.</summary>
    /// <param name="parameters">The set to optimise.</param>
    /// <param name="learningRate">η, finite and not negative.</param>
    /// <param name="momentum">μ, finite and not negative; 0 disables momentum (and its buffers).</param>
    /// <param name="dampening">τ, finite and not negative.</param>
    /// <param name="weightDecay">λ (L2 penalty added to the gradient), finite and not negative.</param>
    /// <param name="nesterov">Nesterov momentum; needs μ &gt; 0 and τ = 0.</param>
    /// <param name="maximize">Ascends the objective instead of descending it.</param>
    /// <exception cref="ArgumentOutOfRangeException">A hyperparameter is out of range.</exception>
    /// <exception cref="ArgumentException"><paramref name="nesterov"/> without a positive momentum and zero dampening.</exception>
    public Sgd(
        Parameters<T> parameters,
        double learningRate,
        double momentum = 0,
        double dampening = 0,
        double weightDecay = 0,
        bool nesterov = false,
        bool maximize = false)
        : base(parameters, learningRate)
    {
        Momentum = NonNegative(momentum, nameof(momentum));
        Dampening = NonNegative(dampening, nameof(dampening));
        WeightDecay = NonNegative(weightDecay, nameof(weightDecay));
        if (nesterov && (momentum <= 0 || dampening != 0))
        {
            throw new ArgumentException("Nesterov momentum requires a momentum and zero dampening.", nameof(nesterov));
        }

        Nesterov = nesterov;
        Maximize = maximize;
        _parameters = [.. parameters];
        if (momentum != 0)
        {
            _momentumBuffers = new T[_parameters.Length][];
            for (int i = 0; i < _parameters.Length; i++)
            {
                _momentumBuffers[i] = new T[_parameters[i].Length];
            }
        }
    }

    /// <summary>The momentum factor μ.</summary>
    public double Momentum { get; }

    /// <summary>The dampening τ of the momentum (not applied at the first step).</summary>
    public double Dampening { get; }

    /// <summary>The L2 weight decay λ added to the gradient.</summary>
    public double WeightDecay { get; }

    /// <summary>Whether the update uses Nesterov momentum g + μb.</summary>
    public bool Nesterov { get; }

    /// <summary>Whether the objective is maximised.</summary>
    public bool Maximize { get; }

    /// <summary>The momentum buffer of parameter <paramref name="index"/> (empty without momentum), for inspection.</summary>
    /// <param name="index">The parameter's <see cref="Parameter{T}.Index"/>.</param>
    /// <returns>The buffer b.</returns>
    public ReadOnlySpan<T> MomentumBuffer(int index) => _momentumBuffers is null ? default : _momentumBuffers[index];

    /// <inheritdoc/>
    protected override IReadOnlyList<(string Name, T[] Values)> StateBuffers()
    {
        var buffers = new List<(string, T[])>();
        for (int k = 0; _momentumBuffers is not null && k < _parameters.Length; k++)
        {
            buffers.Add(("momentum_buffer/" + _parameters[k].Name, _momentumBuffers[k]));
        }

        return buffers;
    }

    /// <inheritdoc/>
    protected override void OnStateLoaded() => _buffersInitialised = StepCount > 0;

    /// <inheritdoc/>
    protected override void StepCore(long step)
    {
        var h = new Hyper(
            T.CreateTruncating(-LearningRate),
            T.CreateTruncating(WeightDecay),
            T.CreateTruncating(Momentum),
            T.CreateTruncating(1 - Dampening),
            WeightDecay != 0,
            _momentumBuffers is not null,
            !_buffersInitialised,
            Nesterov,
            Maximize);
        for (int k = 0; k < _parameters.Length; k++)
        {
            Parameter<T> p = _parameters[k];
            Span<T> buffer = _momentumBuffers is null ? default : _momentumBuffers[k];
            Update(p.Value, p.Grad, buffer, in h);
        }

        _buffersInitialised = true;
    }

    private static void Update(Span<T> theta, ReadOnlySpan<T> grad, Span<T> buffer, in Hyper h)
    {
        ref T p = ref MemoryMarshal.GetReference(theta);
        ref T g = ref MemoryMarshal.GetReference(grad);
        ref T b = ref MemoryMarshal.GetReference(buffer);
        int n = theta.Length;
        int i = 0;
        if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported)
        {
            Vector256<T> negativeRate = Vector256.Create(h.NegativeRate);
            Vector256<T> decay = Vector256.Create(h.WeightDecay);
            Vector256<T> mu = Vector256.Create(h.Momentum);
            Vector256<T> keep = Vector256.Create(h.OneMinusDampening);
            for (; i <= n - Vector256<T>.Count; i += Vector256<T>.Count)
            {
                Vector256<T> theta8 = Vector256.LoadUnsafe(ref p, (nuint)i);
                Vector256<T> d = Vector256.LoadUnsafe(ref g, (nuint)i);
                if (h.Maximize)
                {
                    d = -d;
                }

                if (h.HasWeightDecay)
                {
                    d += decay * theta8;
                }

                if (h.HasMomentum)
                {
                    Vector256<T> buf = h.FirstStep ? d : (mu * Vector256.LoadUnsafe(ref b, (nuint)i)) + (keep * d);
                    buf.StoreUnsafe(ref b, (nuint)i);
                    d = h.Nesterov ? d + (mu * buf) : buf;
                }

                (theta8 + (negativeRate * d)).StoreUnsafe(ref p, (nuint)i);
            }
        }

        for (; i < n; i++)
        {
            T d = grad[i];
            if (h.Maximize)
            {
                d = -d;
            }

            if (h.HasWeightDecay)
            {
                d += h.WeightDecay * theta[i];
            }

            if (h.HasMomentum)
            {
                T buf = h.FirstStep ? d : (h.Momentum * buffer[i]) + (h.OneMinusDampening * d);
                buffer[i] = buf;
                d = h.Nesterov ? d + (h.Momentum * buf) : buf;
            }

            theta[i] += h.NegativeRate * d;
        }
    }

    private readonly record struct Hyper(
        T NegativeRate,
        T WeightDecay,
        T Momentum,
        T OneMinusDampening,
        bool HasWeightDecay,
        bool HasMomentum,
        bool FirstStep,
        bool Nesterov,
        bool Maximize);
}
