using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using DiffGen.Optimization;
using Xunit;

namespace DiffGen.Tests.Optimization;

/// <summary>
/// <see cref="Parameters{T}.FromModel"/> and <see cref="Tangent"/> over a model whose buffer count is known only at run
/// time: a list of layers, written as the generator writes <see cref="IModel{T}"/> for one (docs/models.md, "Collections
/// of layers": the members' buffers, then each layer's in turn, named by path).
/// </summary>
public class LayerModelTests
{
    private sealed class Layer
    {
        public Layer(int size)
        {
            W = new float[size * 2];
            B = new float[size];
        }

        public float[] W { get; }

        public float[] B { get; }
    }

    private sealed class Stack : IModel<float>
    {
        public float[] Embedding { get; } = new float[3];

        public List<Layer> Layers { get; } = new();

        int IModel<float>.ParameterCount => 1 + (Layers.Count * 2);

        ModelBuffer<float> IModel<float>.GetParameter(int index)
        {
            int at = index;
            if (at == 0)
            {
                return new("Embedding", Embedding, Embedding);
            }

            at -= 1;
            if (at >= 0 && at < Layers.Count * 2)
            {
                Layer layer = Layers[at / 2];
                return (at % 2) switch
                {
                    0 => new($"Layers[{at / 2}].W", layer.W, layer.W),
                    _ => new($"Layers[{at / 2}].B", layer.B, layer.B),
                };
            }

            throw new ArgumentOutOfRangeException(nameof(index));
        }
    }

    private static Stack NewStack(params int[] sizes)
    {
        var stack = new Stack();
        foreach (int size in sizes)
        {
            stack.Layers.Add(new Layer(size));
        }

        return stack;
    }

    [Fact]
    public void FromModelHoldsEveryLayersBuffersWithoutCopies()
    {
        Stack model = NewStack(2, 4, 3);
        Stack gradient = NewStack(2, 4, 3);
        Parameters<float> set = Parameters<float>.FromModel(model, gradient);

        Assert.Equal(["Embedding", "Layers[0].W", "Layers[0].B", "Layers[1].W", "Layers[1].B", "Layers[2].W", "Layers[2].B"], set.Select(p => p.Name));
        Assert.Equal(3 + (4 + 2) + (8 + 4) + (6 + 3), set.TotalLength);
        Assert.Same(model.Layers[1].W, set["Layers[1].W"].ValueArray);
        Assert.Same(gradient.Layers[2].B, set["Layers[2].B"].GradArray);
    }

    [Fact]
    public void OptimizerZeroGradClipAndSaveLoadReachEveryLayer()
    {
        Stack model = NewStack(2, 3);
        Stack gradient = NewStack(2, 3);
        Parameters<float> set = Parameters<float>.FromModel(model, gradient);
        foreach (Parameter<float> p in set)
        {
            p.GradArray.AsSpan().Fill(1);
        }

        // Norm over every buffer of every layer: sqrt(3 + 4 + 2 + 6 + 3) with all gradients 1.
        Assert.Equal(Math.Sqrt(18), set.ClipGradNorm(double.MaxValue), 5);
        var sgd = new Sgd<float>(set, learningRate: 0.5);
        sgd.Step();
        Assert.All(model.Layers.SelectMany(l => l.W.Concat(l.B)), v => Assert.Equal(-0.5f, v));
        sgd.ZeroGrad();
        Assert.All(gradient.Layers.SelectMany(l => l.W.Concat(l.B)), v => Assert.Equal(0f, v));

        using var stream = new MemoryStream();
        set.Save(stream);
        model.Layers[1].B[2] = 7;
        stream.Position = 0;
        set.Load(stream);
        Assert.Equal(-0.5f, model.Layers[1].B[2]);
    }

    [Fact]
    public void ModelsWithAnotherNumberOfLayersDoNotPair()
    {
        Stack model = NewStack(2, 3);
        var error = Assert.Throws<ArgumentException>(() => Parameters<float>.FromModel(model, NewStack(2)));
        Assert.Contains("5 buffers but the gradient has 3", error.Message);
        Assert.Throws<ArgumentException>(() => Tangent.Dot(model, NewStack(3, 3)));
    }

    [Fact]
    public void TangentArithmeticRunsOverEveryLayer()
    {
        Stack a = NewStack(1, 2);
        Stack b = NewStack(1, 2);
        foreach (float[] buffer in new[] { a.Embedding }.Concat(a.Layers.SelectMany(l => new[] { l.W, l.B })))
        {
            buffer.AsSpan().Fill(2);
        }

        foreach (float[] buffer in new[] { b.Embedding }.Concat(b.Layers.SelectMany(l => new[] { l.W, l.B })))
        {
            buffer.AsSpan().Fill(3);
        }

        int total = 3 + 2 + 1 + 4 + 2;
        Assert.Equal(6.0 * total, Tangent.Dot(a, b), 5);
        Tangent.AddScaled(a, 1f, b);
        Assert.All(a.Layers[1].B, v => Assert.Equal(5f, v));
    }
}
