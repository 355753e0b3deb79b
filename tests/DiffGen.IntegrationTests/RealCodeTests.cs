using System;
using Xunit;
using static DiffGen.IntegrationTests.GradientCheck;

namespace DiffGen.IntegrationTests;

/// <summary>Code as people write it (issue #13): helpers, objects, out/ref, code without a derivative — against central finite differences (tolerance in <see cref="GradientCheck"/>).</summary>
public class RealCodeTests
{
    [Fact]
    public void NestedHelpersWithEarlyReturns() =>
        Check(
            x => RealCode.HelperChain(x.AsSpan(0, 5), x.AsSpan(5, 5)),
            (x, g) => RealCode.HelperChainGradient(x.AsSpan(0, 5), x.AsSpan(5, 5), g.AsSpan(0, 5), g.AsSpan(5, 5)),
            10,
            sample: (r, i) => i == 0 ? 40 : (r.NextDouble() * 6) - 3); // one z above 30 takes Softplus's early return

    [Fact]
    public void ObjectMembersAndInstanceMethods() =>
        Check(x => RealCode.WithObject(x[0]), (x, g) => RealCode.WithObjectGradient(x[0], ref g[0]), 1);

    [Fact]
    public void OutAndRefParametersOfHelpers() =>
        Check(x => RealCode.Standardized(x), (x, g) => RealCode.StandardizedGradient(x, g), 6);

    [Fact]
    public void CodeWithoutDerivativeRunsOnceAndKeepsTheGradient()
    {
        foreach (int seed in new[] { 1, 7 })
        {
            Check(
                x => RealCode.Sampled(x, seed),
                (x, g) => RealCode.SampledGradient(x, seed, g),
                5,
                sample: (r, _) => 0.5 + r.NextDouble());
        }
    }

    [Fact]
    public void ValidationStillThrows()
    {
        double[] gradient = Array.Empty<double>();
        var error = Assert.Throws<ArgumentException>(() => RealCode.SampledGradient(ReadOnlySpan<double>.Empty, 3, gradient));
        Assert.Contains("seed 3", error.Message, StringComparison.Ordinal);
    }
}
