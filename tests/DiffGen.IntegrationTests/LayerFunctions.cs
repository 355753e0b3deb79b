using System;
using System.Collections.Generic;
using DiffGen.Optimization;

namespace DiffGen.IntegrationTests;

/// <summary>A dense layer of <see cref="Parameter{T}"/>s with its sizes as ints (constants), as in issue #15.</summary>
public sealed class StackDense
{
    public StackDense(Parameters<double> parameters, string name, int inputs, int outputs)
    {
        In = inputs;
        Out = outputs;
        W = parameters.Add(name + ".W", inputs * outputs);
        B = parameters.Add(name + ".B", outputs);
    }

    public int In { get; }

    public int Out { get; }

    public Parameter<double> W { get; }

    public Parameter<double> B { get; }
}

/// <summary>
/// PyTorch's nn.ModuleList: an array of layers of different widths looped over in the loss, the activations in two
/// buffers of the widest layer's width (a layer's buffer cannot be allocated inside the loop: DG0024).
/// </summary>
public sealed partial class LayerStack
{
    public LayerStack(Parameters<double> parameters, params int[] widths)
    {
        Layers = new StackDense[widths.Length - 1];
        for (int l = 0; l < Layers.Length; l++)
        {
            Layers[l] = new StackDense(parameters, "layer" + l, widths[l], widths[l + 1]);
        }

        Width = 0;
        foreach (int width in widths)
        {
            Width = Math.Max(Width, width);
        }
    }

    public StackDense[] Layers;

    public int Width;

    [Differentiable(nameof(model), Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.PooledPrimal)]
    public static double Loss(LayerStack model, double[] x, double target)
    {
        var h = new double[model.Width];
        var next = new double[model.Width];
        for (int i = 0; i < x.Length; i++)
        {
            h[i] = x[i];
        }

        int width = x.Length;
        for (int l = 0; l < model.Layers.Length; l++)
        {
            StackDense layer = model.Layers[l];
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

            width = layer.Out;
        }

        double loss = 0;
        for (int o = 0; o < width; o++)
        {
            double r = h[o] - target;
            loss += r * r;
        }

        return loss;
    }
}

/// <summary>A layer of plain arrays (a model of arrays needs a second object for its gradient).</summary>
public sealed class ArrayLayer
{
    public ArrayLayer(int size)
    {
        Scale = new double[size];
        Shift = new double[size];
    }

    public double[] Scale { get; }

    public double[] Shift { get; }
}

/// <summary>
/// A <see cref="List{T}"/> of layers between two members of the model, read by foreach and by direct indexing
/// (<c>model.Blocks[l].Scale[k]</c>), the layer's length taken from the leaf.
/// </summary>
public sealed partial class ListModel
{
    public ListModel(int size, int blocks)
    {
        Input = new double[size];
        for (int b = 0; b < blocks; b++)
        {
            Blocks.Add(new ArrayLayer(size));
        }

        Output = new double[size];
    }

    public double[] Input { get; }

    public List<ArrayLayer> Blocks { get; } = new();

    public double[] Output { get; }

    [Differentiable(nameof(model), Generate = Derivatives.Reverse | Derivatives.Forward)]
    public static double Loss(ListModel model, double[] x)
    {
        var h = new double[x.Length];
        for (int k = 0; k < x.Length; k++)
        {
            h[k] = x[k] * model.Input[k];
        }

        foreach (ArrayLayer block in model.Blocks)
        {
            for (int k = 0; k < block.Scale.Length; k++)
            {
                h[k] = Math.Sin((block.Scale[k] * h[k]) + block.Shift[k]);
            }
        }

        // A second pass, backwards, indexing the list directly.
        for (int l = model.Blocks.Count - 1; l >= 0; l--)
        {
            for (int k = 0; k < h.Length; k++)
            {
                h[k] += model.Blocks[l].Shift[k] * model.Blocks[l].Scale[k];
            }
        }

        double y = 0;
        for (int k = 0; k < h.Length; k++)
        {
            y += model.Output[k] * h[k] * h[k];
        }

        return y;
    }
}

/// <summary>An <see cref="IReadOnlyList{T}"/> of layers handed to a helper, which reads the layer's leaves.</summary>
public sealed partial class ChainModel
{
    public ChainModel(IReadOnlyList<ArrayLayer> links) => Links = links;

    public IReadOnlyList<ArrayLayer> Links { get; }

    [Differentiable(nameof(model))]
    public static double Loss(ChainModel model, double[] x)
    {
        double s = 0;
        for (int l = 0; l < model.Links.Count; l++)
        {
            s += Link(model.Links[l], x);
        }

        return s;
    }

    private static double Link(ArrayLayer link, double[] x)
    {
        double s = 0;
        for (int k = 0; k < x.Length; k++)
        {
            s += Math.Exp(link.Scale[k] * x[k]) * link.Shift[k];
        }

        return s;
    }
}

/// <summary>
/// Layers of equal width through DiffGen.Ops: each layer's weights passed whole to the kernels (its slice of the packed
/// leaf; MatVec and Dot have pullbacks and pushforwards), the activation overwritten layer by layer, and a penalty that
/// passes one leaf as both operands.
/// </summary>
public sealed partial class OpsStack
{
    public const int Width = 3;

    public OpsStack(Parameters<double> parameters, int layers)
    {
        for (int l = 0; l < layers; l++)
        {
            Layers.Add(new StackDense(parameters, "block" + l, Width, Width));
        }
    }

    public List<StackDense> Layers { get; } = new();

    [Differentiable(nameof(model), Generate = Derivatives.Reverse | Derivatives.Forward)]
    public static double Loss(OpsStack model, double[] x, double[] target)
    {
        var h = new double[Width];
        var z = new double[Width];
        for (int i = 0; i < Width; i++)
        {
            h[i] = x[i];
        }

        double penalty = 0;
        foreach (StackDense layer in model.Layers)
        {
            Ops.MatVec(layer.W.Value, h, z, Width, Width);
            for (int o = 0; o < Width; o++)
            {
                h[o] = Math.Tanh(z[o] + layer.B.Value[o]);
            }

            penalty += Ops.Dot(layer.B.Value, layer.B.Value);
        }

        return Ops.Dot(h, target) + (0.1 * penalty);
    }
}

/// <summary>A layer that is a struct holding arrays (its arrays are the collection's, not copies).</summary>
public struct ScaleShift
{
    public double[] Scale;
    public double[] Shift;
}

/// <summary>An <see cref="IList{T}"/> of struct layers, the loss an instance method differentiating its own object.</summary>
public sealed partial class StructLayers
{
    public StructLayers(int size, int count)
    {
        for (int l = 0; l < count; l++)
        {
            Links.Add(new ScaleShift { Scale = new double[size], Shift = new double[size] });
        }
    }

    public IList<ScaleShift> Links { get; } = new List<ScaleShift>();

    [Differentiable("this")]
    public double Loss(double[] x)
    {
        double s = 0;
        for (int l = 0; l < Links.Count; l++)
        {
            ScaleShift link = Links[l];
            for (int k = 0; k < x.Length; k++)
            {
                double u = (link.Scale[k] * x[k]) + link.Shift[k];
                s += u * u * (l + 1);
            }
        }

        return s;
    }
}

/// <summary>A layer's nested part (its leaves are the layer's, with a dotted path).</summary>
public sealed class Gain
{
    public double[] Gamma = new double[2];
}

/// <summary>A layer holding a nested part and an array.</summary>
public sealed class GainLayer
{
    public Gain Norm = new();
    public double[] W = new double[2];
}

/// <summary>Layers with a nested part, read through the layer (<c>layer.Norm.Gamma[k]</c>).</summary>
public sealed partial class NestedLayers
{
    public GainLayer[] Layers = { new(), new(), new() };

    [Differentiable(nameof(model))]
    public static double Loss(NestedLayers model, double[] x)
    {
        double s = 0;
        for (int l = 0; l < model.Layers.Length; l++)
        {
            GainLayer layer = model.Layers[l];
            for (int k = 0; k < layer.W.Length; k++)
            {
                s += Math.Sin(layer.Norm.Gamma[k] * x[k]) * layer.W[k];
            }
        }

        return s;
    }
}
