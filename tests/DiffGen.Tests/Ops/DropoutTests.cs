using System;
using System.Linq;
using DiffGen.Layers;
using Xunit;
using O = DiffGen.Ops;

namespace DiffGen.Tests.Ops;

/// <summary>
/// Dropout's mask: a function of (seed, index), kept with probability 1 − p, the same in the forward pass and the
/// pullback, the same for float (eight lanes at a time) and double (scalar), different for another seed; p = 0 copies.
/// (Its pullback against finite differences is in <see cref="PullbackGradientTests"/>; PyTorch's mask comes from its own
/// generator, so there is no element-wise PyTorch reference.)
/// </summary>
public class DropoutTests
{
    [Theory]
    [InlineData(0.1)]
    [InlineData(0.5)]
    [InlineData(0.9)]
    public void KeepsAboutOneMinusP_AndScalesByItsInverse(double p)
    {
        const int n = 200_003;
        float[] x = Enumerable.Repeat(1f, n).ToArray(), y = new float[n];
        O.Dropout(x, y, new Dropout(p, seed: 42));
        int kept = y.Count(v => v != 0);
        Assert.All(y.Where(v => v != 0), v => Assert.Equal(1 / (1 - p), v, 5));
        double expected = (1 - p) * n, sd = Math.Sqrt(n * p * (1 - p));
        Assert.True(Math.Abs(kept - expected) < 5 * sd, $"p = {p}: kept {kept} of {n}, expected {expected:F0} ± {sd:F0}");
    }

    [Fact]
    public void MaskDependsOnTheSeedOnly_ForwardAndPullbackAgree_FloatAndDoubleAgree()
    {
        const int n = 1037; // a scalar tail after the vectors
        var layer = new Dropout(0.4, seed: 0x1234_5678_9ABCUL);
        var rng = new Random(2);
        float[] x = Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() + 0.5)).ToArray();
        float[] y = new float[n], again = new float[n], other = new float[n], dx = new float[n];
        O.Dropout(x, y, layer);
        O.Dropout(x, again, layer);
        O.Dropout(x, other, layer.WithSeed(7));
        Assert.Equal(y, again);
        Assert.NotEqual(y.Select(v => v == 0), other.Select(v => v == 0));

        O.DropoutPullback(x, y, layer, dx, x); // dy = x: dx must equal y
        Assert.Equal(y, dx);

        double[] yd = new double[n];
        O.Dropout(Array.ConvertAll(x, v => (double)v), yd, layer);
        Assert.Equal(y.Select(v => v == 0), yd.Select(v => v == 0));
    }

    [Fact]
    public void ZeroProbability_Copies_AndProbabilityOutsideTheRange_IsRejected()
    {
        float[] x = [1.5f, -2f, 3.25f, 0f, 7f, -1f, 2f, 4f, 9f], y = new float[x.Length];
        O.Dropout(x, y, default);
        Assert.Equal(x, y);
        Assert.Equal("probability", Assert.Throws<ArgumentOutOfRangeException>(() => new Dropout(1.0)).ParamName);
        Assert.Equal("probability", Assert.Throws<ArgumentOutOfRangeException>(() => new Dropout(-0.1)).ParamName);
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => O.Dropout(x, new float[3], default)).ParamName);
    }
}
