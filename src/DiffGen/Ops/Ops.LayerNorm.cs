using System;
using System.Numerics;
using System.Numerics.Tensors;
using DiffGen.Elementwise;
using DiffGen.Layers;

namespace DiffGen;

public static partial class Ops
{
    /// <summary>
    /// Layer normalisation in PyTorch's form (<c>torch.nn.functional.layer_norm</c> over the last dimension): for every
    /// row of <c>norm.Features</c> values, <c>y = (x − μ)/√(σ² + ε)·γ + β</c> with μ the row's mean and σ² its biased
    /// variance. The batch is <c>x.Length / norm.Features</c>.
    /// </summary>
    /// <param name="x">Input rows, row-major.</param>
    /// <param name="gamma">γ, the scale, one value per feature (PyTorch's <c>weight</c>).</param>
    /// <param name="beta">β, the shift, one value per feature (PyTorch's <c>bias</c>).</param>
    /// <param name="y">Receives the output rows (overwritten), as long as <paramref name="x"/>; must not overlap the inputs.</param>
    /// <param name="norm">The geometry.</param>
    /// <exception cref="ArgumentException">A length does not match the geometry, <paramref name="y"/> overlaps an input, or <paramref name="norm"/> is <c>default</c>.</exception>
    public static void LayerNorm(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> y, LayerNorm norm) =>
        LayerNormCore(x, gamma, beta, y, norm);

    /// <inheritdoc cref="LayerNorm(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Layers.LayerNorm)"/>
    public static void LayerNorm(ReadOnlySpan<double> x, ReadOnlySpan<double> gamma, ReadOnlySpan<double> beta, Span<double> y, LayerNorm norm) =>
        LayerNormCore(x, gamma, beta, y, norm);

    /// <summary>
    /// Pullback of <see cref="LayerNorm(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Layers.LayerNorm)"/>,
    /// with μ and r = 1/√(σ² + ε) recomputed per row from x, x̂ = (x − μ)·r and g = dy·γ:
    /// <c>dβ += Σ_rows dy</c>, <c>dγ += Σ_rows dy·x̂</c>, <c>dx += r·(g − mean(g) − x̂·mean(g·x̂))</c>; an empty adjoint is skipped.
    /// </summary>
    /// <param name="x">The primal's input rows.</param>
    /// <param name="gamma">The primal's γ.</param>
    /// <param name="beta">The primal's β.</param>
    /// <param name="y">The primal's output span (not read).</param>
    /// <param name="norm">The primal's geometry.</param>
    /// <param name="dx">Adjoint of <paramref name="x"/>, accumulated into (or empty).</param>
    /// <param name="dgamma">Adjoint of <paramref name="gamma"/>, accumulated into (or empty).</param>
    /// <param name="dbeta">Adjoint of <paramref name="beta"/>, accumulated into (or empty).</param>
    /// <param name="dy">Incoming adjoint of <paramref name="y"/> (read only).</param>
    [DerivativeOf(typeof(Ops), nameof(LayerNorm))]
    public static void LayerNormPullback(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> y, LayerNorm norm, Span<float> dx, Span<float> dgamma, Span<float> dbeta, ReadOnlySpan<float> dy) =>
        LayerNormPullbackCore<float>(x, gamma, beta, y, norm, dx, dgamma, dbeta, dy);

    /// <inheritdoc cref="LayerNormPullback(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Layers.LayerNorm, Span{float}, Span{float}, Span{float}, ReadOnlySpan{float})"/>
    [DerivativeOf(typeof(Ops), nameof(LayerNorm))]
    public static void LayerNormPullback(ReadOnlySpan<double> x, ReadOnlySpan<double> gamma, ReadOnlySpan<double> beta, Span<double> y, LayerNorm norm, Span<double> dx, Span<double> dgamma, Span<double> dbeta, ReadOnlySpan<double> dy) =>
        LayerNormPullbackCore<double>(x, gamma, beta, y, norm, dx, dgamma, dbeta, dy);

    /// <summary>Checks every length against the geometry and returns the batch size.</summary>
    private static int CheckLayerNormShapes(in LayerNorm norm, int xLength, int gammaLength, int betaLength, int yLength)
    {
        if (norm.Features == 0)
        {
            throw new ArgumentException("norm is default(LayerNorm): construct it with its feature count.", nameof(norm));
        }

        int batch = RowsOf(xLength, "x", norm.Features, "norm.Features");
        CheckLength(gammaLength, norm.Features, "gamma", "norm.Features");
        CheckLength(betaLength, norm.Features, "beta", "norm.Features");
        CheckSameLength(xLength, "x", yLength, "y");
        return batch;
    }

    private static void LayerNormCore<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> gamma, ReadOnlySpan<T> beta, Span<T> y, in LayerNorm norm)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int batch = CheckLayerNormShapes(norm, x.Length, gamma.Length, beta.Length, y.Length);
        CheckNoOverlap<T>(y, nameof(y), x, nameof(x));
        CheckNoOverlap<T>(y, nameof(y), gamma, nameof(gamma));
        CheckNoOverlap<T>(y, nameof(y), beta, nameof(beta));
        int n = norm.Features;
        T epsilon = T.CreateTruncating(norm.Epsilon);
        for (int row = 0; row < batch; row++)
        {
            ReadOnlySpan<T> xs = x.Slice(row * n, n);
            Span<T> ys = y.Slice(row * n, n);
            T r = Centre(xs, ys, epsilon);                       // ys = x − μ
            TensorPrimitives.Multiply(ys, r, ys);                // x̂
            TensorPrimitives.FusedMultiplyAdd(ys, gamma, beta, ys);
        }
    }

    private static void LayerNormPullbackCore<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> gamma, ReadOnlySpan<T> beta, ReadOnlySpan<T> y, in LayerNorm norm, Span<T> dx, Span<T> dgamma, Span<T> dbeta, ReadOnlySpan<T> dy)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int batch = CheckLayerNormShapes(norm, x.Length, gamma.Length, beta.Length, y.Length);
        bool needX = NeedsAdjoint(x.Length, nameof(x), dx.Length, nameof(dx));
        bool needGamma = NeedsAdjoint(gamma.Length, nameof(gamma), dgamma.Length, nameof(dgamma));
        bool needBeta = NeedsAdjoint(beta.Length, nameof(beta), dbeta.Length, nameof(dbeta));
        CheckSameLength(y.Length, nameof(y), dy.Length, nameof(dy));
        CheckNoOverlap<T>(dx, nameof(dx), dy, nameof(dy));
        CheckNoOverlap<T>(dx, nameof(dx), x, nameof(x));
        int n = norm.Features;
        T epsilon = T.CreateTruncating(norm.Epsilon), count = T.CreateTruncating(n);
        Span<T> buffers = needX || needGamma ? Scratch<T>.Get(2 * n) : default;
        for (int row = 0; row < batch; row++)
        {
            ReadOnlySpan<T> dys = dy.Slice(row * n, n);
            if (needBeta)
            {
                TensorPrimitives.Add(dbeta, dys, dbeta);
            }

            if (!needX && !needGamma)
            {
                continue;
            }

            Span<T> xhat = buffers[..n], g = buffers.Slice(n, n);
            T r = Centre(x.Slice(row * n, n), xhat, epsilon);
            TensorPrimitives.Multiply(xhat, r, xhat);
            if (needGamma)
            {
                TensorPrimitives.FusedMultiplyAdd(dys, xhat, dgamma, dgamma);
            }

            if (needX)
            {
                TensorPrimitives.Multiply(dys, gamma, g);                        // g = dy·γ
                T meanG = TensorPrimitives.Sum<T>(g) / count;
                T meanGx = TensorPrimitives.Dot<T>(g, xhat) / count;
                TensorPrimitives.Subtract(g, meanG, g);                          // g − mean(g)
                TensorPrimitives.FusedMultiplyAdd(xhat, -meanGx, g, g);          // − x̂·mean(g·x̂)
                Span<T> dxs = dx.Slice(row * n, n);
                TensorPrimitives.FusedMultiplyAdd(g, r, dxs, dxs);
            }
        }
    }

    /// <summary>Writes <c>x − mean(x)</c> into <paramref name="centred"/> and returns 1/√(σ² + ε), σ² the biased variance.</summary>
    private static T Centre<T>(ReadOnlySpan<T> x, Span<T> centred, T epsilon)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T count = T.CreateTruncating(x.Length);
        T mean = TensorPrimitives.Sum(x) / count;
        TensorPrimitives.Subtract(x, mean, centred);
        T variance = TensorPrimitives.SumOfSquares<T>(centred) / count;
        return T.One / T.Sqrt(variance + epsilon);
    }
}
