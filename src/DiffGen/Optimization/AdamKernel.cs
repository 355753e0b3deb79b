using System;
using System.Collections.Generic;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace DiffGen.Optimization;

/// <summary>The moment buffers and the element-wise update shared by <see cref="Adam{T}"/> and <see cref="AdamW{T}"/>.</summary>
internal sealed class AdamKernel<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public AdamKernel(Parameter<T>[] parameters, bool amsgrad)
    {
        Parameters = parameters;
        FirstMoments = new T[parameters.Length][];
        SecondMoments = new T[parameters.Length][];
        MaxSecondMoments = amsgrad ? new T[parameters.Length][] : null;
        for (int i = 0; i < parameters.Length; i++)
        {
            FirstMoments[i] = new T[parameters[i].Length];
            SecondMoments[i] = new T[parameters[i].Length];
            if (MaxSecondMoments is not null)
            {
                MaxSecondMoments[i] = new T[parameters[i].Length];
            }
        }
    }

    public Parameter<T>[] Parameters { get; }

    public T[][] FirstMoments { get; }

    public T[][] SecondMoments { get; }

    public T[][]? MaxSecondMoments { get; }

    /// <summary>The moment buffers with PyTorch's state names, per parameter.</summary>
    public IReadOnlyList<(string Name, T[] Values)> StateBuffers()
    {
        var buffers = new List<(string, T[])>();
        for (int k = 0; k < Parameters.Length; k++)
        {
            string name = Parameters[k].Name;
            buffers.Add(("exp_avg/" + name, FirstMoments[k]));
            buffers.Add(("exp_avg_sq/" + name, SecondMoments[k]));
            if (MaxSecondMoments is not null)
            {
                buffers.Add(("max_exp_avg_sq/" + name, MaxSecondMoments[k]));
            }
        }

        return buffers;
    }

    /// <summary>One step of torch.optim.Adam (<paramref name="decoupledDecay"/> false) or AdamW (true).</summary>
    public void Step(long step, double learningRate, double beta1, double beta2, double epsilon, double weightDecay, bool decoupledDecay, bool maximize)
    {
        // Scalars in double as PyTorch computes them in Python, then rounded to T once.
        double biasCorrection1 = 1 - Math.Pow(beta1, step);
        double biasCorrection2 = 1 - Math.Pow(beta2, step);
        var h = new Hyper(
            Beta1: T.CreateTruncating(beta1),
            OneMinusBeta1: T.CreateTruncating(1 - beta1),
            Beta2: T.CreateTruncating(beta2),
            OneMinusBeta2: T.CreateTruncating(1 - beta2),
            Epsilon: T.CreateTruncating(epsilon),
            NegativeStepSize: T.CreateTruncating(-(learningRate / biasCorrection1)),
            BiasCorrection2Sqrt: T.CreateTruncating(Math.Sqrt(biasCorrection2)),
            L2: T.CreateTruncating(decoupledDecay ? 0 : weightDecay),
            Shrink: T.CreateTruncating(1 - (learningRate * weightDecay)),
            HasL2: !decoupledDecay && weightDecay != 0,
            HasShrink: decoupledDecay && weightDecay != 0,
            AmsGrad: MaxSecondMoments is not null,
            Maximize: maximize);
        for (int k = 0; k < Parameters.Length; k++)
        {
            Parameter<T> p = Parameters[k];
            Span<T> vmax = MaxSecondMoments is null ? default : MaxSecondMoments[k];
            Update(p.Value, p.Grad, FirstMoments[k], SecondMoments[k], vmax, in h);
        }
    }

    private static void Update(Span<T> theta, ReadOnlySpan<T> grad, Span<T> m, Span<T> v, Span<T> vmax, in Hyper h)
    {
        ref T pRef = ref MemoryMarshal.GetReference(theta);
        ref T gRef = ref MemoryMarshal.GetReference(grad);
        ref T mRef = ref MemoryMarshal.GetReference(m);
        ref T vRef = ref MemoryMarshal.GetReference(v);
        ref T vmaxRef = ref MemoryMarshal.GetReference(vmax);
        int n = theta.Length;
        int i = 0;
        if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported)
        {
            Vector256<T> beta1 = Vector256.Create(h.Beta1);
            Vector256<T> oneMinusBeta1 = Vector256.Create(h.OneMinusBeta1);
            Vector256<T> beta2 = Vector256.Create(h.Beta2);
            Vector256<T> oneMinusBeta2 = Vector256.Create(h.OneMinusBeta2);
            Vector256<T> epsilon = Vector256.Create(h.Epsilon);
            Vector256<T> negativeStepSize = Vector256.Create(h.NegativeStepSize);
            Vector256<T> bc2Sqrt = Vector256.Create(h.BiasCorrection2Sqrt);
            Vector256<T> l2 = Vector256.Create(h.L2);
            Vector256<T> shrink = Vector256.Create(h.Shrink);
            for (; i <= n - Vector256<T>.Count; i += Vector256<T>.Count)
            {
                nuint at = (nuint)i;
                Vector256<T> p = Vector256.LoadUnsafe(ref pRef, at);
                Vector256<T> g = Vector256.LoadUnsafe(ref gRef, at);
                if (h.Maximize)
                {
                    g = -g;
                }

                if (h.HasShrink)
                {
                    p *= shrink;
                }

                if (h.HasL2)
                {
                    g += l2 * p;
                }

                Vector256<T> m1 = (beta1 * Vector256.LoadUnsafe(ref mRef, at)) + (oneMinusBeta1 * g);
                Vector256<T> v1 = (beta2 * Vector256.LoadUnsafe(ref vRef, at)) + (oneMinusBeta2 * g * g);
                m1.StoreUnsafe(ref mRef, at);
                v1.StoreUnsafe(ref vRef, at);
                if (h.AmsGrad)
                {
                    v1 = Vector256.Max(Vector256.LoadUnsafe(ref vmaxRef, at), v1);
                    v1.StoreUnsafe(ref vmaxRef, at);
                }

                Vector256<T> denominator = (Vector256.Sqrt(v1) / bc2Sqrt) + epsilon;
                (p + (negativeStepSize * (m1 / denominator))).StoreUnsafe(ref pRef, at);
            }
        }

        for (; i < n; i++)
        {
            T p = theta[i];
            T g = grad[i];
            if (h.Maximize)
            {
                g = -g;
            }

            if (h.HasShrink)
            {
                p *= h.Shrink;
            }

            if (h.HasL2)
            {
                g += h.L2 * p;
            }

            T m1 = (h.Beta1 * m[i]) + (h.OneMinusBeta1 * g);
            T v1 = (h.Beta2 * v[i]) + (h.OneMinusBeta2 * g * g);
            m[i] = m1;
            v[i] = v1;
            if (h.AmsGrad)
            {
                v1 = T.Max(vmax[i], v1);
                vmax[i] = v1;
            }

            T denominator = (T.Sqrt(v1) / h.BiasCorrection2Sqrt) + h.Epsilon;
            theta[i] = p + (h.NegativeStepSize * (m1 / denominator));
        }
    }

    private readonly record struct Hyper(
        T Beta1,
        T OneMinusBeta1,
        T Beta2,
        T OneMinusBeta2,
        T Epsilon,
        T NegativeStepSize,
        T BiasCorrection2Sqrt,
        T L2,
        T Shrink,
        bool HasL2,
        bool HasShrink,
        bool AmsGrad,
        bool Maximize);
}
