using System;
using Xunit;
using static DiffGen.IntegrationTests.GradientCheck;

namespace DiffGen.IntegrationTests;

/// <summary>Counters incremented inside expressions: x[i++], x[--j], if (++k &gt;= n).</summary>
public static partial class IncrementCode
{
    [Differentiable]
    public static double PostIncrementIndex(ReadOnlySpan<double> x)
    {
        double s = 1;
        int i = 0;
        while (i < x.Length)
        {
            s = (s * 0.5) + (x[i++] * s);
        }

        int j = x.Length;
        double last = x[--j] * x[0];
        return s + last;
    }

    [Differentiable]
    public static double PrefixInCondition(double x)
    {
        double y = x;
        int k = 0;
        while (true)
        {
            y = Math.Sin(y) + (0.5 * x);
            if (++k >= 4)
            {
                break;
            }
        }

        return y * k;
    }
}

public class IncrementInExpressionTests
{
    [Fact]
    public void PostfixAndPrefixIndexCounters() =>
        Check(x => IncrementCode.PostIncrementIndex(x), (x, g) => IncrementCode.PostIncrementIndexGradient(x, g), 5);

    [Fact]
    public void PrefixIncrementInABreakCondition() =>
        Check(
            x => IncrementCode.PrefixInCondition(x[0]),
            (x, g) =>
            {
                double d = 0;
                double value = IncrementCode.PrefixInConditionGradient(x[0], ref d);
                g[0] += d;
                return value;
            },
            1);
}
