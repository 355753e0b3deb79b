using System;
using System.Numerics;
using Xunit;
using static DiffGen.IntegrationTests.GradientCheck;

namespace DiffGen.IntegrationTests;

/// <summary>System.Numerics.Complex in [Differentiable] code, as signal-processing and physics code writes it.</summary>
public static partial class ComplexCode
{
    /// <summary>|H(iω)|² of a second-order low-pass filter H(s) = ω₀² / (s² + (ω₀/Q)s + ω₀²), a common control/DSP loss.</summary>
    [Differentiable(nameof(omega0), nameof(q))]
    public static double FilterGain(double omega0, double q, double omega)
    {
        var s = new Complex(0, omega);
        Complex h = omega0 * omega0 / ((s * s) + (omega0 / q * s) + (omega0 * omega0));
        return h.Magnitude * h.Magnitude;
    }

    /// <summary>Every supported construct at once: constructor, constants, conversions, all operators, Conjugate, Exp, FromPolarCoordinates, Abs, Phase, a helper.</summary>
    [Differentiable(nameof(x), nameof(y), nameof(w), Generate = Derivatives.Reverse | Derivatives.Forward)]
    public static double Mixed(double x, double y, double w, Complex shift)
    {
        var z = new Complex(x, y);
        Complex u = (z * z) + (2.0 * z) - Complex.ImaginaryOne + shift;
        Complex v = (u / new Complex(w, 1.5)) + (1.0 / z) - (z / 3.0) - Complex.One;
        Complex e = Complex.Exp(Complex.Conjugate(v) * 0.1) + Complex.FromPolarCoordinates(w, y);
        return (e.Real * v.Imaginary) + Complex.Abs(u) + v.Magnitude + (-e).Phase + Rotate(z, w).Real;
    }

    /// <summary>The discrete Fourier power of a signal at one frequency: a loop accumulating a Complex.</summary>
    [Differentiable(nameof(signal))]
    public static double Power(double[] signal, double frequency)
    {
        Complex sum = Complex.Zero;
        for (int n = 0; n < signal.Length; n++)
        {
            sum += signal[n] * Complex.Exp(new Complex(0, -2 * Math.PI * frequency * n / signal.Length));
        }

        return Complex.Abs(sum);
    }

    private static Complex Rotate(Complex z, double angle) => z * Complex.FromPolarCoordinates(1, angle);
}

public class ComplexTests
{
    [Fact]
    public void SecondOrderFilterGain() =>
        Check(p => ComplexCode.FilterGain(p[0], p[1], 1.3), (p, g) => ComplexCode.FilterGainGradient(p[0], p[1], 1.3, ref g[0], ref g[1]), 2, sample: (r, i) => 0.5 + r.NextDouble());

    [Fact]
    public void OperatorsConstantsAndFunctionsBitForBitAndAgainstFiniteDifferences() =>
        Check(
            p => ComplexCode.Mixed(p[0], p[1], p[2], new Complex(0.25, -0.5)),
            (p, g) => ComplexCode.MixedGradient(p[0], p[1], p[2], new Complex(0.25, -0.5), ref g[0], ref g[1], ref g[2]),
            3);

    /// <summary>Forward mode over the same constructs: the tangent equals the gradient's inner product with the direction (1e-12 relative).</summary>
    [Fact]
    public void PushforwardAgreesWithTheGradient()
    {
        var shift = new Complex(0.25, -0.5);
        double gx = 0, gy = 0, gw = 0;
        ComplexCode.MixedGradient(0.6, -0.4, 0.9, shift, ref gx, ref gy, ref gw);
        double value = ComplexCode.MixedPushforward(0.6, -0.4, 0.9, shift, 0.3, -0.7, 1.1, out double tangent);
        Assert.Equal(ComplexCode.Mixed(0.6, -0.4, 0.9, shift), value);
        double expected = (0.3 * gx) - (0.7 * gy) + (1.1 * gw);
        Assert.True(Math.Abs(tangent - expected) <= 1e-12 * Math.Max(1, Math.Abs(expected)), $"{tangent} vs {expected}");
    }

    [Fact]
    public void DivisionByARealValuedComplexTakesTheOtherBranchWithoutNaN()
    {
        // w = 0 divides by 0 + 1.5i (|d| > |c|); y = 0 gives z a zero imaginary part (|d| < |c| in 1/z).
        double gx = 0, gy = 0, gw = 0;
        double value = ComplexCode.MixedGradient(0.7, 0, 0, Complex.Zero, ref gx, ref gy, ref gw);
        Assert.Equal(ComplexCode.Mixed(0.7, 0, 0, Complex.Zero), value);
        Assert.True(double.IsFinite(gx) && double.IsFinite(gy) && double.IsFinite(gw), $"{gx} {gy} {gw}");
    }

    [Fact]
    public void FourierPowerOverALoop() =>
        Check(x => ComplexCode.Power(x, 2.0), (x, g) => ComplexCode.PowerGradient(x, 2.0, g), 8);
}
