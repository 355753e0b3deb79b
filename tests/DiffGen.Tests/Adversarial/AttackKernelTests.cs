using System;
using DiffGen.Adversarial;
using Xunit;

namespace DiffGen.Tests.Adversarial;

/// <summary>
/// The fused sign-step kernels against scalar references written out here, bit for bit. The lengths cover every vector
/// path of the kernels on any machine: 1 and 3 (scalar tail only), 7 (a Vector128 and 3 scalars), 17, 31 and 1023
/// (= 63·16 + 8 + 4 + 3: each of Vector512, Vector256 and Vector128 and the tail), 16 and 1024 (whole vectors only).
/// </summary>
public sealed class AttackKernelTests
{
    public static TheoryData<int> Lengths => [1, 3, 7, 16, 17, 31, 1023, 1024];

    private static readonly (float Min, float Max)[] Ranges =
        [(0f, 1f), (-1f, 1f), (0.2f, 0.3f), (float.NegativeInfinity, float.PositiveInfinity)];

    private static readonly float[] Alphas = [0.1f, -0.1f, 0.5f, -0.03f, float.PositiveInfinity, float.NegativeInfinity];

    /// <summary>Inputs with special values mixed in: ±0, NaN, ±∞, subnormals and values outside [0, 1].</summary>
    private static float[] Values(Random random, int length, float[] specials)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = random.Next(4) == 0 ? specials[random.Next(specials.Length)] : (2.4f * random.NextSingle()) - 0.7f;
        }

        return values;
    }

    private static readonly float[] XSpecials = [0f, -0f, 1f, float.NaN, float.PositiveInfinity, float.NegativeInfinity, float.Epsilon, -float.Epsilon, 0.25f];

    private static readonly float[] GSpecials = [0f, -0f, float.NaN, float.PositiveInfinity, float.NegativeInfinity, float.Epsilon, -float.Epsilon, 1f, -1f];

    /// <summary>The step of the attacks: exactly +α where g &gt; 0, −α where g &lt; 0, and +0 where g is ±0 or NaN.</summary>
    private static float ReferenceStep(float g, float alpha)
    {
        if (float.IsNaN(g) || g == 0f)
        {
            return 0f;
        }

        return g > 0f ? alpha : -alpha;
    }

    /// <summary>
    /// torch.clamp: min(max(v, lo), hi) with NaN propagating (from v or a bound, e.g. x0 − ε = ∞ − ∞) and −0 below +0.
    /// </summary>
    private static float ReferenceClamp(float v, float lo, float hi)
    {
        if (float.IsNaN(v) || float.IsNaN(lo) || float.IsNaN(hi))
        {
            return float.NaN;
        }

        float r = v < lo || (v == lo && float.IsNegative(v) && !float.IsNegative(lo)) ? lo : v;
        return r > hi || (r == hi && !float.IsNegative(r) && float.IsNegative(hi)) ? hi : r;
    }

    /// <summary>The same bits (so +0 ≠ −0), except that any NaN matches any NaN (payloads are the hardware's business).</summary>
    private static void AssertBits(float expected, float actual, string where) =>
        Assert.True(
            BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(actual) || (float.IsNaN(expected) && float.IsNaN(actual)),
            $"{where}: expected {expected:R} (0x{BitConverter.SingleToInt32Bits(expected):x8}), got {actual:R} (0x{BitConverter.SingleToInt32Bits(actual):x8})");

    [Theory]
    [MemberData(nameof(Lengths))]
    public void SignStepClamp_MatchesScalarReference_BitForBit(int length)
    {
        var random = new Random(length);
        foreach ((float min, float max) in Ranges)
        {
            foreach (float alpha in Alphas)
            {
                float[] x = Values(random, length, XSpecials), g = Values(random, length, GSpecials);
                var destination = new float[length];
                AttackKernels.SignStepClamp(x, g, alpha, min, max, destination);
                float[] inPlace = (float[])x.Clone();
                AttackKernels.SignStepClamp(inPlace, g, alpha, min, max, inPlace);
                for (int i = 0; i < length; i++)
                {
                    float expected = ReferenceClamp(x[i] + ReferenceStep(g[i], alpha), min, max);
                    string where = $"n={length} α={alpha} [{min}, {max}] i={i} x={x[i]:R} g={g[i]:R}";
                    AssertBits(expected, destination[i], where);
                    AssertBits(expected, inPlace[i], where + " (in place)");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void SignStepClamp_AlphaZero_IsTheClampOfX_MinusZeroKept(int length)
    {
        var random = new Random(100 + length);
        float[] x = Values(random, length, XSpecials), g = Values(random, length, GSpecials);
        x[0] = -0f;
        var destination = new float[length];
        AttackKernels.SignStepClamp(x, g, 0f, -1f, 1f, destination);
        for (int i = 0; i < length; i++)
        {
            AssertBits(ReferenceClamp(x[i], -1f, 1f), destination[i], $"n={length} i={i}");
        }

        AssertBits(-0f, destination[0], "−0 in range is copied, not turned into +0");
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void SignStepClamp_ZeroAndNaNGradient_DoNotMove(int length)
    {
        // sign(±0) = sign(NaN) = 0: x + 0 (−0 becomes +0, as x + 0 does), every other feature moves by exactly ±α.
        var random = new Random(200 + length);
        var x = new float[length];
        var g = new float[length];
        for (int i = 0; i < length; i++)
        {
            x[i] = 0.25f + (0.5f * random.NextSingle());
            g[i] = (i % 4) switch { 0 => 0f, 1 => -0f, 2 => float.NaN, _ => i % 8 == 3 ? 2f : -3f };
        }

        var destination = new float[length];
        AttackKernels.SignStepClamp(x, g, 0.125f, 0f, 1f, destination);
        for (int i = 0; i < length; i++)
        {
            float expected = (i % 4) switch { 0 or 1 or 2 => x[i], _ => i % 8 == 3 ? x[i] + 0.125f : x[i] - 0.125f };
            AssertBits(expected, destination[i], $"n={length} i={i} g={g[i]}");
        }
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void SignStepClamp_Clamps_ToTheRange(int length)
    {
        // Every x is moved past a bound: the result is the bound itself.
        var x = new float[length];
        var g = new float[length];
        for (int i = 0; i < length; i++)
        {
            x[i] = i % 2 == 0 ? 0.95f : 0.05f;
            g[i] = i % 2 == 0 ? 1f : -1f;
        }

        var destination = new float[length];
        AttackKernels.SignStepClamp(x, g, 0.2f, 0f, 1f, destination);
        for (int i = 0; i < length; i++)
        {
            AssertBits(i % 2 == 0 ? 1f : 0f, destination[i], $"n={length} i={i}");
        }
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void ProjectedSignStep_MatchesScalarReference_BitForBit(int length)
    {
        var random = new Random(300 + length);
        foreach ((float min, float max) in Ranges)
        {
            foreach (float alpha in Alphas)
            {
                foreach (float eps in new[] { 0f, 0.07f, 0.3f, float.PositiveInfinity })
                {
                    float[] x = Values(random, length, XSpecials), g = Values(random, length, GSpecials), x0 = Values(random, length, XSpecials);
                    var destination = new float[length];
                    AttackKernels.ProjectedSignStep(x, g, x0, alpha, eps, min, max, destination);
                    float[] inPlace = (float[])x.Clone();
                    AttackKernels.ProjectedSignStep(inPlace, g, x0, alpha, eps, min, max, inPlace);
                    for (int i = 0; i < length; i++)
                    {
                        float moved = x[i] + ReferenceStep(g[i], alpha);
                        float expected = ReferenceClamp(ReferenceClamp(moved, x0[i] - eps, x0[i] + eps), min, max);
                        string where = $"n={length} α={alpha} ε={eps} [{min}, {max}] i={i} x={x[i]:R} g={g[i]:R} x0={x0[i]:R}";
                        AssertBits(expected, destination[i], where);
                        AssertBits(expected, inPlace[i], where + " (in place)");
                    }
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void ProjectedSignStep_StaysInTheBall_AroundX0(int length)
    {
        // x already at the edge of the ball and the step pointing outwards: the projection keeps x0 ± ε.
        var x0 = new float[length];
        var x = new float[length];
        var g = new float[length];
        for (int i = 0; i < length; i++)
        {
            x0[i] = 0.5f;
            x[i] = i % 2 == 0 ? 0.5f + 0.0625f : 0.5f - 0.0625f;
            g[i] = i % 2 == 0 ? 1f : -1f;
        }

        var destination = new float[length];
        AttackKernels.ProjectedSignStep(x, g, x0, 0.03125f, 0.0625f, 0f, 1f, destination);
        for (int i = 0; i < length; i++)
        {
            AssertBits(x[i], destination[i], $"n={length} i={i}");
        }
    }

    [Fact]
    public void Kernels_MismatchedLengths_Throw()
    {
        float[] a = new float[8], b = new float[7];
        Assert.Throws<ArgumentException>(() => AttackKernels.SignStepClamp(a, b, 0.1f, 0f, 1f, a));
        Assert.Throws<ArgumentException>(() => AttackKernels.SignStepClamp(a, a, 0.1f, 0f, 1f, b));
        Assert.Throws<ArgumentException>(() => AttackKernels.ProjectedSignStep(a, a, b, 0.1f, 0.1f, 0f, 1f, a));
        Assert.Throws<ArgumentException>(() => AttackKernels.ProjectedSignStep(a, b, a, 0.1f, 0.1f, 0f, 1f, a));
        Assert.Throws<ArgumentException>(() => AttackKernels.ProjectedSignStep(a, a, a, 0.1f, 0.1f, 0f, 1f, b));
    }
}
