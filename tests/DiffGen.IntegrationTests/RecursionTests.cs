using System;
using Xunit;
using static DiffGen.IntegrationTests.GradientCheck;

namespace DiffGen.IntegrationTests;

/// <summary>
/// Recursive [Differentiable] methods against central differences (double, 1e-5 relative; GradientCheck) and the
/// pushforward against the gradient (TangentCheck); the determinant against its cofactors.
/// </summary>
public class RecursionTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    public void DeterminantByMinors(int n) => Check(
        x => RecursionFunctions.Determinant(x, n),
        (x, g) => RecursionFunctions.DeterminantGradient(x, n, g),
        n * n);

    [Fact]
    public void DeterminantGradientIsTheCofactorMatrix()
    {
        double[] a = [2, -1, 0, 1, 3, 2, 0, 1, 4];
        double[] g = new double[9];
        double det = RecursionFunctions.DeterminantGradient(a, 3, g);
        Assert.Equal(2 * (12 - 2) + 1 * (4 - 0), det);

        // ∂det/∂a_ij = C_ij, the cofactor: (−1)^(i+j) times the minor without row i and column j.
        double[] cofactors = [10, -4, 1, 4, 8, -2, -2, -4, 7];
        for (int k = 0; k < 9; k++)
        {
            Assert.Equal(cofactors[k], g[k], 12);
        }
    }

    [Fact]
    public void EachMinorIsEvaluatedOnceByTheGradient()
    {
        // The seed of each sub-minor's pullback is known before the call, so a level calls its pullback, which returns
        // the value, instead of the minor and then its pullback (which would evaluate every subtree again per level).
        double[] a = new double[16];
        for (int k = 0; k < a.Length; k++)
        {
            a[k] = Math.Sin(k + 1);
        }

        RecursionFunctions.Evaluations = 0;
        RecursionFunctions.CountedMinor(a, 4, 0, 0);
        long primal = RecursionFunctions.Evaluations;
        Assert.Equal(1 + 4 + (4 * 3) + (4 * 3 * 2), primal);

        RecursionFunctions.Evaluations = 0;
        double[] g = new double[16];
        Assert.Equal(RecursionFunctions.Minor(a, 4, 0, 0), RecursionFunctions.CountedMinorGradient(a, 4, 0, 0, g));
        Assert.Equal(primal, RecursionFunctions.Evaluations);
    }

    [Fact]
    public void BaseCaseInABranchOfTheConditional() => Check(
        x => RecursionFunctions.Halve(x[0]),
        (x, g) => RecursionFunctions.HalveGradient(x[0], ref g[0]),
        1,
        sample: (r, _) => (r.NextDouble() * 40) - 20);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(6)]
    [InlineData(13)]
    public void PowerBySquaring(int n) => Check(
        x => RecursionFunctions.Power(x[0], n),
        (x, g) => RecursionFunctions.PowerGradient(x[0], n, ref g[0]),
        1);

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    [InlineData(7)]
    public void TwoRecursiveCallsAndAVector(int n) => TangentCheck.Check(
        x => RecursionFunctions.Chain(x.AsSpan(0, 3), x[3], n),
        (x, g) => RecursionFunctions.ChainGradient(x.AsSpan(0, 3), x[3], n, g.AsSpan(0, 3), ref g[3]),
        (x, v) => (RecursionFunctions.ChainPushforward(x.AsSpan(0, 3), x[3], n, v.AsSpan(0, 3), v[3], out double tangent), tangent),
        4);

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(16)]
    public void DivideAndConquer(int length) => Check(
        x => RecursionFunctions.TreeSoftPlus(x, 0, length),
        (x, g) => RecursionFunctions.TreeSoftPlusGradient(x, 0, length, g),
        length);

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public void ThroughAnInlinedHelper(int n) => Check(
        x => RecursionFunctions.Mutual(x[0], n),
        (x, g) => RecursionFunctions.MutualGradient(x[0], n, ref g[0]),
        1);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(6)]
    public void MutualRecursion(int n) => Check(
        x => RecursionFunctions.Even(x[0], n),
        (x, g) => RecursionFunctions.EvenGradient(x[0], n, ref g[0]),
        1);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(5)]
    public void SwitchExpressionArms(int n) => Check(
        x => RecursionFunctions.SwitchArms(x[0], n),
        (x, g) => RecursionFunctions.SwitchArmsGradient(x[0], n, ref g[0]),
        1);

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    public void RelationalSwitchArms(int n) => Check(
        x => RecursionFunctions.RelationalArms(x[0], n),
        (x, g) => RecursionFunctions.RelationalArmsGradient(x[0], n, ref g[0]),
        1);

    [Fact]
    public void TailRecursionInFloat()
    {
        // float: the value against the double evaluation of the same recursion, the gradient against central
        // differences of the float function in double arithmetic via the chain rule (1e-3 relative, float precision).
        float x = 0.7f;
        float g = 0;
        float value = RecursionFunctions.TailGradient(x, 6, ref g);
        Assert.Equal(RecursionFunctions.Tail(x, 6), value);
        double v = x, dv = 1;
        for (int k = 0; k < 6; k++)
        {
            dv *= Math.Cos(v) + 0.5;
            v = Math.Sin(v) + (0.5 * v);
        }

        Assert.True(Math.Abs(g - dv) <= 1e-3 * Math.Max(1, Math.Abs(dv)), $"generated {g}, expected {dv}");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    public void BinaryTree(int depth) => Check(
        x => RecursionFunctions.Tree(x, 0, depth),
        (x, g) => RecursionFunctions.TreeGradient(x, 0, depth, g),
        (1 << (depth + 1)) - 1);
}
