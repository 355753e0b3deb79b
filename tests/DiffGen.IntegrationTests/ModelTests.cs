using System;
using System.Linq;
using DiffGen.Optimization;
using Xunit;
using static DiffGen.IntegrationTests.GradientCheck;

namespace DiffGen.IntegrationTests;

/// <summary>
/// Model types as [Differentiable] parameters (docs/models.md): gradients against central differences (tolerance
/// 1e-5 relative, <see cref="GradientCheck"/>), the gradient argument's conventions, IModel&lt;T&gt;, the optimizers over
/// a model, and pooled scratch (no allocation per call).
/// </summary>
public class ModelTests
{
    private const int Inputs = 3;
    private const int Hidden = 4;

    // θ flattened: Hidden.Weight (12), Hidden.Bias (4), Readout (4).
    private const int Dimension = (Inputs * Hidden) + Hidden + Hidden;

    private static readonly double[] X = { 0.3, -1.1, 0.8 };

    private static TwoLayerModel NewModel(out Parameters<double> parameters)
    {
        parameters = new Parameters<double>();
        return new TwoLayerModel(parameters, Inputs, Hidden);
    }

    private static void Load(TwoLayerModel model, double[] theta)
    {
        theta.AsSpan(0, Inputs * Hidden).CopyTo(model.Hidden.Weight);
        theta.AsSpan(Inputs * Hidden, Hidden).CopyTo(model.Hidden.Bias);
        theta.AsSpan((Inputs * Hidden) + Hidden, Hidden).CopyTo(model.Readout.Value);
    }

    /// <summary>Adds the gradient argument's buffers into g (the check expects accumulation).</summary>
    private static void AddTo(TwoLayerModel gradient, double[] g)
    {
        double[] flat = gradient.Hidden.Weight.Concat(gradient.Hidden.Bias).Concat(gradient.Readout.GradArray).ToArray();
        for (int i = 0; i < flat.Length; i++)
        {
            g[i] += flat[i];
        }
    }

    [Fact]
    public void NestedLayerParameterAndHelperMatchFiniteDifferences()
    {
        TwoLayerModel model = NewModel(out _);
        TwoLayerModel gradient = NewModel(out _);
        Check(
            theta =>
            {
                Load(model, theta);
                return TwoLayerModel.Loss(model, X, 0.7);
            },
            (theta, g) =>
            {
                Load(model, theta);
                double value = TwoLayerModel.LossGradient(model, X, 0.7, gradient);
                AddTo(gradient, g);
                Array.Clear(gradient.Hidden.Weight);
                Array.Clear(gradient.Hidden.Bias);
                gradient.Readout.ZeroGrad();
                return value;
            },
            Dimension);
    }

    [Fact]
    public void ALossCallingAnotherDifferentiableLossOfTheModel()
    {
        double[] xs = { -1, 0.5, 2, 3.5 }, ys = { -2.1, 1.2, 3.9, 7.2 };
        Check(
            p => Line.BothWays(new Line { Slope = p[0], Intercept = p[1] }, xs, ys),
            (p, g) =>
            {
                var d = new Line();
                double value = Line.BothWaysGradient(new Line { Slope = p[0], Intercept = p[1] }, xs, ys, ref d);
                g[0] += d.Slope;
                g[1] += d.Intercept;
                return value;
            },
            2);
    }

    [Fact]
    public void ModelAndInputGradientsComeInWrtOrder()
    {
        TwoLayerModel model = NewModel(out _);
        Load(model, Enumerable.Range(0, Dimension).Select(i => Math.Sin(i + 1.0)).ToArray());
        TwoLayerModel gradient = NewModel(out _);
        Check(
            x => TwoLayerModel.Loss(model, x, -0.2),
            (x, g) => TwoLayerModel.LossModelAndInputGradient(model, x, -0.2, gradient, g),
            Inputs);
    }

    [Fact]
    public void GradientsAccumulateIntoTheGradientArgument()
    {
        TwoLayerModel model = NewModel(out _);
        Load(model, Enumerable.Range(0, Dimension).Select(i => Math.Cos(i * 0.7)).ToArray());
        TwoLayerModel once = NewModel(out _), twice = NewModel(out _);
        TwoLayerModel.LossGradient(model, X, 0.1, once);
        TwoLayerModel.LossGradient(model, X, 0.1, twice);
        TwoLayerModel.LossGradient(model, X, 0.1, twice);
        for (int i = 0; i < once.Hidden.Weight.Length; i++)
        {
            Assert.Equal(2 * once.Hidden.Weight[i], twice.Hidden.Weight[i], 14);
        }

        Assert.Equal(2 * once.Readout.Grad[1], twice.Readout.Grad[1], 14);
        Assert.All(model.Readout.GradArray, v => Assert.Equal(0, v)); // the model's own Grad is not the gradient argument's
    }

    [Fact]
    public void LayerNormInsideAModelMatchesFiniteDifferences()
    {
        var model = new NormedLinear();
        var gradient = new NormedLinear();
        double[] x = Enumerable.Range(0, 3 * 4).Select(i => Math.Sin(i * 1.3)).ToArray();
        double[] target = Enumerable.Range(0, 3 * 6).Select(i => Math.Cos(i * 0.4)).ToArray();
        int w = model.Weight.Length, b = model.Bias.Length, n = model.Scale.Gamma.Length;
        void Load(double[] theta)
        {
            theta.AsSpan(0, w).CopyTo(model.Weight);
            theta.AsSpan(w, b).CopyTo(model.Bias);
            theta.AsSpan(w + b, n).CopyTo(model.Scale.Gamma);
            theta.AsSpan(w + b + n, n).CopyTo(model.Scale.Beta);
        }

        Check(
            theta =>
            {
                Load(theta);
                return NormedLinear.Loss(model, x, target);
            },
            (theta, g) =>
            {
                Load(theta);
                foreach (double[] buffer in new[] { gradient.Weight, gradient.Bias, gradient.Scale.Gamma, gradient.Scale.Beta })
                {
                    Array.Clear(buffer);
                }

                double value = NormedLinear.LossGradient(model, x, target, gradient);
                double[] flat = gradient.Weight.Concat(gradient.Bias).Concat(gradient.Scale.Gamma).Concat(gradient.Scale.Beta).ToArray();
                for (int i = 0; i < flat.Length; i++)
                {
                    g[i] += flat[i];
                }

                return value;
            },
            w + b + (2 * n));
    }

    [Fact]
    public void InstanceMethodDifferentiatesThisObject()
    {
        var model = new TanhRegression(new Parameters<double>(), 4);
        double[] x = { 0.5, -1.2, 2.0, 0.1 };
        Check(
            theta =>
            {
                theta.AsSpan(0, 4).CopyTo(model.Weight.Value);
                model.Bias.Value[0] = theta[4];
                return model.Loss(x, 0.3);
            },
            (theta, g) =>
            {
                theta.AsSpan(0, 4).CopyTo(model.Weight.Value);
                model.Bias.Value[0] = theta[4];
                model.Weight.ZeroGrad();
                model.Bias.ZeroGrad();
                double value = model.LossGradient(x, 0.3, model);
                for (int i = 0; i < 4; i++)
                {
                    g[i] += model.Weight.Grad[i];
                }

                g[4] += model.Bias.Grad[0];
                return value;
            },
            5);
    }

    [Fact]
    public void StructInstanceMethodDifferentiatesThisByRef() =>
        Check(
            p => new Damped { Amplitude = p[0], Decay = p[1], Frequency = p[2] }.At(1.7),
            (p, g) =>
            {
                var d = default(Damped);
                double value = new Damped { Amplitude = p[0], Decay = p[1], Frequency = p[2] }.AtGradient(1.7, ref d);
                g[0] += d.Amplitude;
                g[1] += d.Decay;
                g[2] += d.Frequency;
                return value;
            },
            3);

    /// <summary>Forward mode: the tangent along a direction object equals the gradient's inner product with it (1e-12 relative).</summary>
    [Fact]
    public void PushforwardTakesATangentObjectOfTheModelType()
    {
        TwoLayerModel model = NewModel(out _);
        Load(model, Enumerable.Range(0, Dimension).Select(i => Math.Sin((i * 0.9) + 0.3)).ToArray());
        TwoLayerModel direction = NewModel(out _), gradient = NewModel(out _);
        double[] v = Enumerable.Range(0, Dimension).Select(i => Math.Cos(i * 1.7)).ToArray();
        v.AsSpan(0, Inputs * Hidden).CopyTo(direction.Hidden.Weight);
        v.AsSpan(Inputs * Hidden, Hidden).CopyTo(direction.Hidden.Bias);
        v.AsSpan((Inputs * Hidden) + Hidden, Hidden).CopyTo(direction.Readout.Grad); // a Parameter<T>'s tangent lives in its Grad
        double value = TwoLayerModel.LossPushforward(model, X, 0.4, direction, out double tangent);
        Assert.Equal(TwoLayerModel.Loss(model, X, 0.4), value);
        TwoLayerModel.LossGradient(model, X, 0.4, gradient);
        double[] g = new double[Dimension];
        AddTo(gradient, g);
        double expected = g.Zip(v, (a, b) => a * b).Sum();
        Assert.True(Math.Abs(tangent - expected) <= 1e-12 * Math.Max(1, Math.Abs(expected)), $"{tangent} vs {expected}");

        var wrong = new TwoLayerModel(new Parameters<double>(), Inputs, Hidden + 1);
        var error = Assert.Throws<ArgumentException>(() => TwoLayerModel.LossPushforward(model, X, 0.4, wrong, out _));
        Assert.Contains("dmodel.Hidden.Weight", error.Message);
    }

    [Fact]
    public void StructModelPushforwardTakesTheTangentByValue()
    {
        double[] xs = { -1, 0.5, 2 }, ys = { -2.1, 1.2, 3.9 };
        var line = new Line { Slope = 1.4, Intercept = -0.3 };
        Line.SquaredErrorPushforward(line, xs, ys, new Line { Slope = 0.5, Intercept = 2 }, out double tangent);
        var d = new Line();
        Line.SquaredErrorGradient(line, xs, ys, ref d);
        Assert.Equal((0.5 * d.Slope) + (2 * d.Intercept), tangent, 12);
    }

    [Fact]
    public void StructModelTakesItsGradientByRef()
    {
        double[] xs = { -1, 0.5, 2, 3.5 }, ys = { -2.1, 1.2, 3.9, 7.2 };
        Check(
            p => Line.SquaredError(new Line { Slope = p[0], Intercept = p[1] }, xs, ys),
            (p, g) =>
            {
                var d = new Line();
                double value = Line.SquaredErrorGradient(new Line { Slope = p[0], Intercept = p[1] }, xs, ys, ref d);
                g[0] += d.Slope;
                g[1] += d.Intercept;
                return value;
            },
            2);
    }

    [Fact]
    public void ShapeMismatchNamesTheMember()
    {
        TwoLayerModel model = NewModel(out _);
        var wrong = new TwoLayerModel(new Parameters<double>(), Inputs, Hidden + 1);
        var error = Assert.Throws<ArgumentException>(() => TwoLayerModel.LossGradient(model, X, 0.0, wrong));
        Assert.Contains("dmodel.Hidden.Weight", error.Message);
        Assert.Contains("model.Hidden.Weight", error.Message);
        Assert.Throws<ArgumentNullException>(() => TwoLayerModel.LossGradient(model, X, 0.0, null!));
    }

    [Fact]
    public void ParameterModelIsItsOwnGradientAndTrainsWithSgd()
    {
        var parameters = new Parameters<float>();
        var model = new SoftmaxRegression(parameters);
        var random = new Random(3);
        model.Weight.InitNormal(random, 0, 0.1);
        int batch = 8;
        float[] x = Enumerable.Range(0, batch * SoftmaxRegression.Features).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        int[] labels = Enumerable.Range(0, batch).Select(i => i % SoftmaxRegression.Classes).ToArray();

        // IModel<float> is generated: the set built from the model is the model's own Parameter<float>s (same arrays).
        Parameters<float> fromModel = Parameters<float>.FromModel(model, model);
        Assert.Equal(new[] { "Weight", "Bias" }, fromModel.Select(p => p.Name));
        Assert.Same(model.Weight.ValueArray, fromModel[0].ValueArray);
        Assert.Same(model.Weight.GradArray, fromModel[0].GradArray);

        var sgd = new GradientDescent<float>(fromModel, learningRate: 0.5);
        float first = SoftmaxRegression.Loss(model, x, labels);
        float[] before = model.Weight.ValueArray.ToArray();
        sgd.ZeroGrad();
        SoftmaxRegression.LossGradient(model, x, labels, model);
        float[] grad = model.Weight.GradArray.ToArray();
        sgd.Step();
        for (int i = 0; i < before.Length; i++)
        {
            Assert.Equal(before[i] - (0.5f * grad[i]), model.Weight.Value[i], 6);
        }

        for (int step = 0; step < 300; step++)
        {
            sgd.ZeroGrad();
            SoftmaxRegression.LossGradient(model, x, labels, model);
            sgd.Step();
        }

        Assert.True(SoftmaxRegression.Loss(model, x, labels) < 0.5f * first, "300 steps of gradient descent should halve the loss");
    }

    [Fact]
    public void TangentOperationsMatchTheirDefinitions()
    {
        var a = new SoftmaxRegression(new Parameters<float>());
        var b = new SoftmaxRegression(new Parameters<float>());
        for (int i = 0; i < a.Weight.Length; i++)
        {
            a.Weight.Grad[i] = i;
            b.Weight.Grad[i] = 1;
        }

        a.Bias.Grad.Fill(2);
        b.Bias.Grad.Fill(-1);
        int n = a.Weight.Length;
        Assert.Equal((n * (n - 1) / 2.0) - (2.0 * 3), Tangent.Dot<float>(a, b), 10);
        Tangent.AddScaled<float>(a, 2f, b);
        Assert.Equal(2f, a.Weight.Grad[0]);
        Assert.Equal(0f, a.Bias.Grad[0]);
        Tangent.Scale<float>(b, 3f);
        Assert.Equal(3f, b.Weight.Grad[4]);
        Assert.Equal(Math.Sqrt((9.0 * n) + (9.0 * 3)), Tangent.Norm<float>(b), 6);
        Tangent.Zero<float>(b);
        Assert.Equal(0, Tangent.Norm<float>(b));
        Assert.All(b.Weight.ValueArray, v => Assert.Equal(0f, v)); // values untouched (they were zero) — only gradients are tangents
    }

    [Fact]
    public void ClipGradNormScalesAsPyTorch()
    {
        var parameters = new Parameters<double>();
        Parameter<double> p = parameters.Add("p", 2);
        p.Grad[0] = 3;
        p.Grad[1] = 4;
        double norm = parameters.ClipGradNorm(1.0);
        Assert.Equal(5, norm);
        Assert.Equal(3 / (5 + 1e-6), p.Grad[0], 12);
        Assert.Equal(4 / (5 + 1e-6), p.Grad[1], 12);
        Assert.Equal(1.0, parameters.ClipGradNorm(10.0), 5); // below the bound: unchanged
        Assert.Equal(3 / (5 + 1e-6), p.Grad[0], 12);
    }

    [Fact]
    public void ScratchArraysOfTheLossArePooledInTheGradient()
    {
        var model = new SoftmaxRegression(new Parameters<float>());
        float[] x = new float[4 * SoftmaxRegression.Features];
        int[] labels = { 0, 1, 2, 1 };
        SoftmaxRegression.LossGradient(model, x, labels, model);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++)
        {
            SoftmaxRegression.LossGradient(model, x, labels, model);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void PooledPrimalReturnsTheSameBitsWithoutAllocating()
    {
        var model = new SoftmaxRegression(new Parameters<float>());
        model.Weight.InitNormal(new Random(4), 0, 0.3);
        float[] x = Enumerable.Range(0, 5 * SoftmaxRegression.Features).Select(i => MathF.Sin(i)).ToArray();
        int[] labels = { 0, 1, 2, 1, 0 };
        float expected = SoftmaxRegression.Loss(model, x, labels);
        Assert.Equal(BitConverter.SingleToInt32Bits(expected), BitConverter.SingleToInt32Bits(SoftmaxRegression.LossPooled(model, x, labels)));
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++)
        {
            SoftmaxRegression.LossPooled(model, x, labels);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void FromModelRefusesAMismatchedGradientAndAnArrayThatIsItsOwnGradient()
    {
        var parameters = new Parameters<float>();
        var model = new SoftmaxRegression(parameters);
        var error = Assert.Throws<ArgumentException>(() => parameters.Add("w", new float[3], new float[2]));
        Assert.Contains("'w'", error.Message);
        float[] same = new float[3];
        Assert.Throws<ArgumentException>(() => parameters.Add("v", same, same));
        Assert.Throws<ArgumentException>(() => parameters.Add("Weight", new float[3], new float[3])); // name taken
        Assert.Equal(2, Parameters<float>.FromModel(model, new SoftmaxRegression(new Parameters<float>())).Count);
    }
}
