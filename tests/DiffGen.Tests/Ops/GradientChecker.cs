using System;
using System.Linq;
using System.Numerics;
using Xunit;

namespace DiffGen.Tests.Ops;

/// <summary>Finite-difference step and agreement tolerance for one element type.</summary>
/// <param name="RelativeStep">Central-difference step h = RelativeStep · max(1, |x|).</param>
/// <param name="Relative">Allowed error relative to the gradient's scale max(‖analytic‖∞, ‖numeric‖∞).</param>
/// <param name="Noise">
/// Allowed error from rounding in the loss itself, per unit of max(1, |L|): the central difference divides that
/// rounding by 2h. Measured worst cases on the cases below: ≈ 2e-10·|L| for double, ≈ 1.5e-5·|L| for float.
/// </param>
/// <remarks>Each element must satisfy |analytic − numeric| ≤ Relative · scale + Noise · max(1, |L|).</remarks>
internal sealed record GradientTolerance(double RelativeStep, double Relative, double Noise)
{
    /// <summary>double: h = 1e-6·max(1,|x|); relative 1e-6; noise 1e-8·max(1,|L|).</summary>
    public static readonly GradientTolerance Double = new(1e-6, 1e-6, 1e-8);

    /// <summary>
    /// float: the primal runs in float (rounding ≈ 6e-8 relative per value), so the step is larger,
    /// h = 1e-2·max(1,|x|); relative 5e-3; noise 1e-4·max(1,|L|).
    /// </summary>
    public static readonly GradientTolerance Single = new(1e-2, 5e-3, 1e-4);

    public static GradientTolerance For<T>() => typeof(T) == typeof(float) ? Single : Double;
}

/// <summary>
/// Checks a pullback against central finite differences of a scalar loss, computed in double. The adjoint buffers
/// arrive pre-filled with random values, so the check also proves that the pullback accumulates (+=) rather than
/// overwrites; their guard elements prove it writes nothing outside the spans.
/// </summary>
internal static class GradientChecker
{
    /// <param name="label">Names the case in failure messages.</param>
    /// <param name="inputs">The differentiable inputs; adjoint q belongs to input q.</param>
    /// <param name="adjoints">Adjoint buffers, pre-filled with arbitrary values.</param>
    /// <param name="loss">Evaluates the scalar loss from the current input values (in the element type's precision).</param>
    /// <param name="pullback">Runs the pullback once with the loss's seed / output weights.</param>
    public static void Check<T>(string label, TestBuffer<T>[] inputs, TestBuffer<T>[] adjoints, Func<double> loss, Action pullback)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Assert.Equal(inputs.Length, adjoints.Length);
        GradientTolerance tolerance = GradientTolerance.For<T>();
        double[][] before = adjoints.Select(a => a.ToDoubles()).ToArray();
        double noise = tolerance.Noise * Math.Max(1, Math.Abs(loss()));
        pullback();

        for (int q = 0; q < inputs.Length; q++)
        {
            adjoints[q].AssertGuardsIntact($"{label}: adjoint {q}");
            TestBuffer<T> x = inputs[q];
            var analytic = new double[x.Length];
            var numeric = new double[x.Length];
            for (int i = 0; i < x.Length; i++)
            {
                analytic[i] = adjoints[q][i] - before[q][i];
                double original = x[i];
                double h = tolerance.RelativeStep * Math.Max(1, Math.Abs(original));
                x[i] = original + h;
                double plusX = x[i];
                double plus = loss();
                x[i] = original - h;
                double minusX = x[i];
                double minus = loss();
                x[i] = original;
                numeric[i] = (plus - minus) / (plusX - minusX); // divide by the step actually taken after rounding to T
            }

            double scale = Math.Max(analytic.Max(Math.Abs), numeric.Max(Math.Abs));
            double allowed = tolerance.Relative * scale + noise;
            for (int i = 0; i < x.Length; i++)
            {
                double error = Math.Abs(analytic[i] - numeric[i]);
                Assert.True(
                    error <= allowed,
                    $"{label} ({typeof(T).Name}): input {q}, element {i}: pullback {analytic[i]:R}, finite difference {numeric[i]:R}, " +
                    $"error {error:E3} > {allowed:E3} ({tolerance.Relative:E1}·{scale:G4} + noise {noise:E2}).");
            }
        }
    }

    /// <summary>Σ weights[i]·y[i] in double: the loss whose gradient a pullback with output adjoint <paramref name="weights"/> gives.</summary>
    public static double WeightedSum<T>(TestBuffer<T> y, TestBuffer<T> weights)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double sum = 0;
        for (int i = 0; i < y.Length; i++)
        {
            sum += weights[i] * y[i];
        }

        return sum;
    }
}
