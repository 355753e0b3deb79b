using System;
using DiffGen.Optimization;

namespace DiffGen.Benchmarks.UserLoops;

/// <summary>A tanh layer of <see cref="Parameter{T}"/>s with its sizes.</summary>
public sealed class TanhLayer
{
    public TanhLayer(Parameters<double> parameters, string name, int inputs, int outputs, Random random)
    {
        In = inputs;
        Out = outputs;
        W = parameters.Add(name + ".W", inputs * outputs).InitXavierUniform(random, inputs, outputs);
        B = parameters.Add(name + ".B", outputs).InitZeros();
    }

    public int In { get; }

    public int Out { get; }

    public Parameter<double> W { get; }

    public Parameter<double> B { get; }
}

/// <summary>
/// Three tanh layers 64 → 64 → 64 → 10 and a squared error, written twice the way PyTorch users write them: the layers
/// in an array looped over (nn.ModuleList, <see cref="Loss"/>), and the same layers as three members applied by a helper
/// (<see cref="MembersLoss"/>). The same arithmetic in the same order: the same value bit for bit.
/// </summary>
public sealed partial class LayerStackLoop
{
    public const int Width = 64, Classes = 10;

    public LayerStackLoop(Parameters<double> parameters, Random random)
    {
        Layers = [
            new TanhLayer(parameters, "l0", Width, Width, random),
            new TanhLayer(parameters, "l1", Width, Width, random),
            new TanhLayer(parameters, "l2", Width, Classes, random)];
        First = Layers[0];
        Second = Layers[1];
        Third = Layers[2];
    }

    public TanhLayer[] Layers;

    [NoDerivative]
    public TanhLayer First;

    [NoDerivative]
    public TanhLayer Second;

    [NoDerivative]
    public TanhLayer Third;

    [Differentiable(nameof(model))]
    public static double Loss(LayerStackLoop model, double[] x, double[] target)
    {
        var h = new double[Width];
        var next = new double[Width];
        for (int i = 0; i < Width; i++)
        {
            h[i] = x[i];
        }

        for (int l = 0; l < model.Layers.Length; l++)
        {
            LayerMembersLoop.Apply(model.Layers[l], h, next);
        }

        double loss = 0;
        for (int o = 0; o < Classes; o++)
        {
            double r = h[o] - target[o];
            loss += r * r;
        }

        return loss;
    }
}

/// <summary>The same three layers as members of a model (no collection), for the comparison.</summary>
public sealed partial class LayerMembersLoop
{
    public LayerMembersLoop(LayerStackLoop stack)
    {
        First = stack.Layers[0];
        Second = stack.Layers[1];
        Third = stack.Layers[2];
    }

    public TanhLayer First;

    public TanhLayer Second;

    public TanhLayer Third;

    [Differentiable(nameof(model))]
    public static double Loss(LayerMembersLoop model, double[] x, double[] target)
    {
        var h = new double[LayerStackLoop.Width];
        var next = new double[LayerStackLoop.Width];
        for (int i = 0; i < LayerStackLoop.Width; i++)
        {
            h[i] = x[i];
        }

        Apply(model.First, h, next);
        Apply(model.Second, h, next);
        Apply(model.Third, h, next);
        double loss = 0;
        for (int o = 0; o < LayerStackLoop.Classes; o++)
        {
            double r = h[o] - target[o];
            loss += r * r;
        }

        return loss;
    }

    /// <summary>h ← tanh(W·h + b) through the scratch next (inlined by the generator in both losses).</summary>
    internal static void Apply(TanhLayer layer, double[] h, double[] next)
    {
        for (int o = 0; o < layer.Out; o++)
        {
            double a = layer.B.Value[o];
            for (int i = 0; i < layer.In; i++)
            {
                a += layer.W.Value[(o * layer.In) + i] * h[i];
            }

            next[o] = Math.Tanh(a);
        }

        for (int o = 0; o < layer.Out; o++)
        {
            h[o] = next[o];
        }
    }
}
