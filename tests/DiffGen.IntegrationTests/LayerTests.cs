using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using DiffGen.Optimization;
using Xunit;
using static DiffGen.IntegrationTests.GradientCheck;

namespace DiffGen.IntegrationTests;

/// <summary>
/// Collections of layers as model members (issue #15 item 1, docs/models.md): gradients against central differences
/// (double, tolerance 1e-5 relative, <see cref="GradientCheck"/>), the pushforward against the gradient (1e-10
/// relative), the gradient object's layers checked naming the path, IModel&lt;T&gt; over every layer's buffers, and
/// no allocation per call.
/// </summary>
public class LayerTests
{
    private static readonly int[] Widths = { 3, 5, 4, 2 };
    private static readonly double[] X = { 0.3, -1.1, 0.8 };

    private static IEnumerable<Parameter<double>> Buffers(LayerStack model) => model.Layers.SelectMany(l => new[] { l.W, l.B });

    private static int Dimension(LayerStack model) => Buffers(model).Sum(p => p.Length);

    private static void Load(LayerStack model, double[] theta)
    {
        int at = 0;
        foreach (Parameter<double> p in Buffers(model))
        {
            theta.AsSpan(at, p.Length).CopyTo(p.Value);
            at += p.Length;
        }
    }

    private static double[] Gradients(LayerStack model) => Buffers(model).SelectMany(p => p.GradArray).ToArray();

    /// <summary>
    /// Central differences (GradientCheck) over a model of array buffers: θ is the buffers <paramref name="buffers"/> lists
    /// of <paramref name="model"/>, in order, and the gradient the same buffers of <paramref name="gradient"/>, cleared
    /// before each call of <paramref name="lossGradient"/>.
    /// </summary>
    private static void CheckArrayBuffers<TModel>(TModel model, TModel gradient, Func<TModel, double[][]> buffers, Func<double> loss, Func<double> lossGradient, int dimension)
    {
        void Set(double[] theta)
        {
            int at = 0;
            foreach (double[] buffer in buffers(model))
            {
                theta.AsSpan(at, buffer.Length).CopyTo(buffer);
                at += buffer.Length;
            }
        }

        Check(
            theta =>
            {
                Set(theta);
                return loss();
            },
            (theta, g) =>
            {
                Set(theta);
                foreach (double[] buffer in buffers(gradient))
                {
                    Array.Clear(buffer);
                }

                double value = lossGradient();
                double[] flat = buffers(gradient).SelectMany(b => b).ToArray();
                for (int i = 0; i < flat.Length; i++)
                {
                    g[i] += flat[i];
                }

                return value;
            },
            dimension);
    }

    [Fact]
    public void ArrayOfParameterLayersMatchesFiniteDifferences()
    {
        var model = new LayerStack(new Parameters<double>(), Widths);
        Check(
            theta =>
            {
                Load(model, theta);
                return LayerStack.Loss(model, X, 0.25);
            },
            (theta, g) =>
            {
                Load(model, theta);
                foreach (Parameter<double> p in Buffers(model))
                {
                    p.ZeroGrad();
                }

                double value = LayerStack.LossGradient(model, X, 0.25, model);
                double[] flat = Gradients(model);
                for (int i = 0; i < flat.Length; i++)
                {
                    g[i] += flat[i];
                }

                return value;
            },
            Dimension(model));
    }

    [Fact]
    public void GradientOfEachLayerLandsInThatLayer()
    {
        // A separate gradient object receives every layer's gradient in that layer's buffers (the model's own Grad stays
        // zero), and a second call adds the same again.
        var model = new LayerStack(new Parameters<double>(), Widths);
        Load(model, Enumerable.Range(0, Dimension(model)).Select(i => Math.Sin(i * 0.7) * 0.5).ToArray());
        var gradient = new LayerStack(new Parameters<double>(), Widths);
        LayerStack.LossGradient(model, X, 0.25, gradient);
        var separate = new LayerStack(new Parameters<double>(), Widths);
        LayerStack.LossGradient(model, X, 0.25, separate);
        LayerStack.LossGradient(model, X, 0.25, separate);

        Assert.All(gradient.Layers.SelectMany(l => new[] { l.W, l.B }), p => Assert.Contains(p.GradArray, v => v != 0));
        Assert.All(model.Layers.SelectMany(l => new[] { l.W, l.B }), p => Assert.All(p.GradArray, v => Assert.Equal(0, v)));
        for (int l = 0; l < Widths.Length - 1; l++)
        {
            Assert.Equal(Widths[l] * Widths[l + 1], gradient.Layers[l].W.Length);
            Assert.Equal(gradient.Layers[l].W.GradArray.Select(v => 2 * v), separate.Layers[l].W.GradArray); // accumulated
        }
    }

    [Fact]
    public void PushforwardAlongALayerTangentIsTheGradientDotTheTangent()
    {
        var model = new LayerStack(new Parameters<double>(), Widths);
        Load(model, Enumerable.Range(0, Dimension(model)).Select(i => Math.Cos(i * 1.3) * 0.6).ToArray());
        var direction = new LayerStack(new Parameters<double>(), Widths);
        var random = new Random(7);
        foreach (Parameter<double> p in Buffers(direction))
        {
            for (int i = 0; i < p.Length; i++)
            {
                p.GradArray[i] = random.NextDouble() - 0.5;
            }
        }

        var gradient = new LayerStack(new Parameters<double>(), Widths);
        double value = LayerStack.LossGradient(model, X, -0.3, gradient);
        double expected = Gradients(gradient).Zip(Gradients(direction), (a, b) => a * b).Sum();

        double primal = LayerStack.LossPushforward(model, X, -0.3, direction, out double tangent);
        Assert.Equal(value, primal);
        Assert.True(Math.Abs(tangent - expected) <= 1e-10 * Math.Max(1, Math.Abs(expected)), $"{tangent} vs {expected}");
    }

    [Fact]
    public void ListOfArrayLayersWithForeachAndIndexingMatchesFiniteDifferences()
    {
        const int Size = 4;
        const int Blocks = 3;
        var model = new ListModel(Size, Blocks);
        var gradient = new ListModel(Size, Blocks);
        double[] x = { 0.4, -0.9, 1.2, 0.1 };
        CheckArrayBuffers(
            model,
            gradient,
            m => new[] { m.Input }.Concat(m.Blocks.SelectMany(b => new[] { b.Scale, b.Shift })).Append(m.Output).ToArray(),
            () => ListModel.Loss(model, x),
            () => ListModel.LossGradient(model, x, gradient),
            Size * (2 + (2 * Blocks)));
    }

    [Fact]
    public void ReadOnlyListOfLayersHandedToAHelperMatchesFiniteDifferences()
    {
        var links = new List<ArrayLayer> { new(3), new(3) };
        var model = new ChainModel(links);
        var gradient = new ChainModel(new List<ArrayLayer> { new(3), new(3) });
        double[] x = { 0.5, -0.2, 0.9 };
        CheckArrayBuffers(
            model,
            gradient,
            m => m.Links.SelectMany(b => new[] { b.Scale, b.Shift }).ToArray(),
            () => ChainModel.Loss(model, x),
            () => ChainModel.LossGradient(model, x, gradient),
            12);
    }

    [Fact]
    public void LayerLeavesPassedToOpsKernelsMatchFiniteDifferences()
    {
        var model = new OpsStack(new Parameters<double>(), 3);
        double[] x = { 0.5, -0.3, 0.9 };
        double[] target = { 0.2, -0.7, 0.3 };
        Parameter<double>[] buffers = model.Layers.SelectMany(l => new[] { l.W, l.B }).ToArray();
        void Set(double[] theta)
        {
            int at = 0;
            foreach (Parameter<double> p in buffers)
            {
                theta.AsSpan(at, p.Length).CopyTo(p.Value);
                at += p.Length;
                p.ZeroGrad();
            }
        }

        Check(
            theta =>
            {
                Set(theta);
                return OpsStack.Loss(model, x, target);
            },
            (theta, g) =>
            {
                Set(theta);
                double value = OpsStack.LossGradient(model, x, target, model);
                double[] flat = buffers.SelectMany(p => p.GradArray).ToArray();
                for (int i = 0; i < flat.Length; i++)
                {
                    g[i] += flat[i];
                }

                return value;
            },
            buffers.Sum(p => p.Length));

        // Forward mode through the kernels' pushforwards, along the gradient itself: the tangent is |∇|².
        Set(Enumerable.Range(0, buffers.Sum(p => p.Length)).Select(i => Math.Sin(i) * 0.4).ToArray());
        OpsStack.LossGradient(model, x, target, model);
        double squared = buffers.Sum(p => p.GradArray.Sum(v => v * v));
        OpsStack.LossPushforward(model, x, target, model, out double tangent);
        Assert.True(Math.Abs(tangent - squared) <= 1e-10 * Math.Max(1, squared), $"{tangent} vs {squared}");
    }

    [Fact]
    public void StructLayersOfThisObjectMatchFiniteDifferences()
    {
        var model = new StructLayers(3, 2);
        var gradient = new StructLayers(3, 2);
        double[] x = { 0.5, -0.2, 0.9 };
        CheckArrayBuffers(
            model,
            gradient,
            m => m.Links.SelectMany(b => new[] { b.Scale, b.Shift }).ToArray(),
            () => model.Loss(x),
            () => model.LossGradient(x, gradient),
            12);
    }

    [Fact]
    public void NestedPartOfALayerMatchesFiniteDifferences()
    {
        var model = new NestedLayers();
        var gradient = new NestedLayers();
        double[] x = { 0.7, -1.3 };
        CheckArrayBuffers(
            model,
            gradient,
            m => m.Layers.SelectMany(b => new[] { b.Norm.Gamma, b.W }).ToArray(),
            () => NestedLayers.Loss(model, x),
            () => NestedLayers.LossGradient(model, x, gradient),
            12);
        Assert.Equal(["Layers[0].Norm.Gamma", "Layers[0].W", "Layers[1].Norm.Gamma"], Parameters<double>.FromModel(model, gradient).Take(3).Select(p => p.Name));
    }

    [Fact]
    public void LayerCountMismatchNamesTheCollection()
    {
        var model = new LayerStack(new Parameters<double>(), Widths);
        var fewer = new LayerStack(new Parameters<double>(), 3, 5, 4);
        var error = Assert.Throws<ArgumentException>(() => LayerStack.LossGradient(model, X, 0.1, fewer));
        Assert.Contains("dmodel.Layers must have as many layers as model.Layers (3) but has 2", error.Message);
        Assert.Throws<ArgumentException>(() => LayerStack.LossPushforward(model, X, 0.1, fewer, out _));
    }

    [Fact]
    public void LayerShapeMismatchNamesTheLayer()
    {
        var model = new ListModel(4, 3);
        var gradient = new ListModel(4, 3);
        gradient.Blocks[1] = new ArrayLayer(5);
        var error = Assert.Throws<ArgumentException>(() => ListModel.LossGradient(model, new double[4], gradient));
        Assert.Contains("dmodel.Blocks[1].Scale must have the length of model.Blocks[1].Scale (4) but has length 5", error.Message);
    }

    [Fact]
    public void PooledPrimalOfALayerLossReturnsTheSameBits()
    {
        var model = new LayerStack(new Parameters<double>(), Widths);
        Load(model, Enumerable.Range(0, Dimension(model)).Select(i => Math.Sin(i)).ToArray());
        Assert.Equal(BitConverter.DoubleToInt64Bits(LayerStack.Loss(model, X, 0.5)), BitConverter.DoubleToInt64Bits(LayerStack.LossPooled(model, X, 0.5)));
    }

    [Fact]
    public void LayerGradientAndPushforwardDoNotAllocate()
    {
        var model = new LayerStack(new Parameters<double>(), Widths);
        var direction = new LayerStack(new Parameters<double>(), Widths);
        LayerStack.LossGradient(model, X, 0.5, model);
        LayerStack.LossPushforward(model, X, 0.5, direction, out _);
        LayerStack.LossPooled(model, X, 0.5);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++)
        {
            LayerStack.LossGradient(model, X, 0.5, model);
            LayerStack.LossPushforward(model, X, 0.5, direction, out _);
            LayerStack.LossPooled(model, X, 0.5);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void TangentOperationsOverLayersDoNotAllocate()
    {
        var a = new ListModel(4, 3);
        var b = new ListModel(4, 3);
        a.Blocks[2].Shift[1] = 2;
        b.Blocks[2].Shift[1] = 3;
        Assert.Equal(6, Tangent.Dot(a, b));
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++)
        {
            Tangent.Dot(a, b);
            Tangent.AddScaled(a, 0.0, b);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void ModelInterfaceEnumeratesEveryLayerAndTrains()
    {
        var model = new ListModel(4, 3);
        var gradient = new ListModel(4, 3);
        var random = new Random(3);
        foreach (double[] buffer in new[] { model.Input, model.Output }.Concat(model.Blocks.SelectMany(b => new[] { b.Scale, b.Shift })))
        {
            for (int i = 0; i < buffer.Length; i++)
            {
                buffer[i] = random.NextDouble() - 0.5;
            }
        }

        Parameters<double> set = Parameters<double>.FromModel(model, gradient);
        Assert.Equal(
            new[] { "Input", "Blocks[0].Scale", "Blocks[0].Shift", "Blocks[1].Scale", "Blocks[1].Shift", "Blocks[2].Scale", "Blocks[2].Shift", "Output" },
            set.Select(p => p.Name));
        Assert.Same(model.Blocks[2].Shift, set.Single(p => p.Name == "Blocks[2].Shift").ValueArray);
        Assert.Same(gradient.Blocks[1].Scale, set.Single(p => p.Name == "Blocks[1].Scale").GradArray);

        // A layer added at run time is a buffer more.
        model.Blocks.Add(new ArrayLayer(4));
        Assert.Equal(10, ((IModel<double>)model).ParameterCount);
        model.Blocks.RemoveAt(3);

        double[] x = { 0.4, -0.9, 1.2, 0.1 };
        var sgd = new Sgd<double>(set, learningRate: 0.05);
        double first = ListModel.Loss(model, x);
        for (int step = 0; step < 20; step++)
        {
            sgd.ZeroGrad();
            ListModel.LossGradient(model, x, gradient);
            sgd.Step();
        }

        Assert.True(ListModel.Loss(model, x) < first);

        // Save and Load go buffer by buffer, layers included.
        using var stream = new MemoryStream();
        set.Save(stream);
        double saved = ListModel.Loss(model, x);
        model.Blocks[1].Shift[2] += 1;
        stream.Position = 0;
        set.Load(stream);
        Assert.Equal(saved, ListModel.Loss(model, x));
    }
}
