using System;
using Xunit;
using static DiffGen.IntegrationTests.GradientCheck;

namespace DiffGen.IntegrationTests;

/// <summary>A layer whose sizes are get-only auto-properties (read once by the generated code).</summary>
public sealed class SizedLayer
{
    public SizedLayer(int inputs, int outputs, Random random)
    {
        In = inputs;
        Out = outputs;
        W = new double[inputs * outputs];
        for (int k = 0; k < W.Length; k++)
        {
            W[k] = random.NextDouble() - 0.5;
        }
    }

    public int In { get; }

    public int Out { get; }

    public readonly double[] W;
}

/// <summary>Loops bounded by sizes read from objects: this.Steps, a local layer's In and Out, a nullable receiver.</summary>
public sealed partial class SizedNet
{
    public SizedNet(SizedLayer layer, int steps)
    {
        Layer = layer;
        Steps = steps;
    }

    public SizedLayer Layer;

    public int Steps { get; }

    [Differentiable(nameof(x))]
    public double Loss(double[] x)
    {
        SizedLayer layer = Layer;
        double s = 0;
        for (int k = 0; k < Steps; k++)
        {
            for (int o = 0; o < layer.Out; o++)
            {
                double a = 0;
                for (int i = 0; i < layer.In; i++)
                {
                    a += layer.W[(o * layer.In) + i] * x[i] * (k + 1);
                }

                s += Math.Tanh(a);
            }
        }

        return s;
    }

    /// <summary>A receiver that may be null is read where the code reads it (never before its null check).</summary>
    [Differentiable(nameof(x))]
    public static double Maybe(SizedLayer? layer, double[] x)
    {
        double s = x[0] * x[1];
        if (layer != null)
        {
            for (int i = 0; i < layer.In; i++)
            {
                s += x[i] * x[i] * (layer.Out + 1);
            }
        }

        return s;
    }
}

public class StableReadTests
{
    [Fact]
    public void LoopsBoundedByObjectSizes()
    {
        var net = new SizedNet(new SizedLayer(4, 3, new Random(5)), 2);
        Check(x => net.Loss(x), (x, g) => net.LossGradient(x, g), 4);
    }

    [Fact]
    public void NullableReceiverIsReadOnlyWhereTheCodeReadsIt()
    {
        var layer = new SizedLayer(3, 2, new Random(6));
        Check(x => SizedNet.Maybe(layer, x), (x, g) => SizedNet.MaybeGradient(layer, x, g), 3);
        Check(x => SizedNet.Maybe(null, x), (x, g) => SizedNet.MaybeGradient(null, x, g), 3);
    }
}
