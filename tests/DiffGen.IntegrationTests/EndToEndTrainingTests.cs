using System;
using System.IO;
using DiffGen.Adversarial;
using DiffGen.Data;
using DiffGen.Optimization;
using Xunit;

namespace DiffGen.IntegrationTests;

/// <summary>A small network written by a user: [Differentiable] over Ops, trained and attacked with the runtime.</summary>
public static partial class SmallNet
{
    public const int Inputs = 784, Hidden = 64, Classes = 10;

    [Differentiable(nameof(w1), nameof(b1), nameof(w2))]
    [Differentiable(nameof(x), Name = "LossInputGradient")]
    public static float Loss(ReadOnlySpan<float> x, ReadOnlySpan<int> labels, ReadOnlySpan<float> w1, ReadOnlySpan<float> b1, ReadOnlySpan<float> w2,
        Span<float> a1, Span<float> z1, Span<float> h1, Span<float> logits)
    {
        int batch = labels.Length;
        Ops.MatMul(x, w1, a1, batch, Inputs, Hidden);
        Ops.AddBias(a1, b1, z1);
        Ops.Tanh(z1, h1);
        Ops.MatMul(h1, w2, logits, batch, Hidden, Classes);
        return Ops.SoftmaxCrossEntropy(logits, labels, Classes);
    }
}

public class EndToEndTrainingTests
{
    [Fact]
    public void TrainsOnASliceOfFashionMnistThenAttacks()
    {
        string data = Path.Combine(RepositoryRoot(), "samples", "data", "fashion-mnist");
        Dataset train = Idx.LoadDataset(Path.Combine(data, "train-images-idx3-ubyte.gz"), Path.Combine(data, "train-labels-idx1-ubyte.gz"), 10).Take(4000);
        Dataset test = Idx.LoadDataset(Path.Combine(data, "t10k-images-idx3-ubyte.gz"), Path.Combine(data, "t10k-labels-idx1-ubyte.gz"), 10).Take(1000);

        var random = new Random(3);
        var parameters = new Parameters<float>();
        Parameter<float> w1 = parameters.Add("w1", SmallNet.Inputs * SmallNet.Hidden).InitXavierUniform(random, SmallNet.Inputs, SmallNet.Hidden);
        Parameter<float> b1 = parameters.Add("b1", SmallNet.Hidden).InitZeros();
        Parameter<float> w2 = parameters.Add("w2", SmallNet.Hidden * SmallNet.Classes).InitXavierUniform(random, SmallNet.Hidden, SmallNet.Classes);
        var optimizer = new Sgd<float>(parameters, 0.1, momentum: 0.9);
        const int Batch = 50;
        float[] a1 = new float[1000 * SmallNet.Hidden], z1 = new float[a1.Length], h1 = new float[a1.Length], logits = new float[1000 * SmallNet.Classes];

        float Step(ReadOnlySpan<float> x, ReadOnlySpan<int> y)
        {
            int n = y.Length;
            return SmallNet.LossGradient(x, y, w1.Value, b1.Value, w2.Value,
                a1.AsSpan(0, n * SmallNet.Hidden), z1.AsSpan(0, n * SmallNet.Hidden), h1.AsSpan(0, n * SmallNet.Hidden), logits.AsSpan(0, n * SmallNet.Classes),
                w1.Grad, b1.Grad, w2.Grad);
        }

        float firstLoss = float.NaN;
        double lastEpochLoss = 0;
        var loader = new MiniBatchLoader(train, Batch, shuffle: true, seed: 7, dropLast: true);
        for (int epoch = 0; epoch < 3; epoch++)
        {
            double sum = 0;
            int batches = 0;
            foreach (MiniBatch batch in loader)
            {
                parameters.ZeroGrad();
                float loss = Step(batch.Features, batch.Labels);
                if (float.IsNaN(firstLoss))
                {
                    firstLoss = loss;
                }

                optimizer.Step();
                sum += loss;
                batches++;
            }

            lastEpochLoss = sum / batches;
        }

        void Classify(ReadOnlySpan<float> x, Span<int> predictions)
        {
            int n = predictions.Length;
            SmallNet.Loss(x, new int[n], w1.Value, b1.Value, w2.Value,
                a1.AsSpan(0, n * SmallNet.Hidden), z1.AsSpan(0, n * SmallNet.Hidden), h1.AsSpan(0, n * SmallNet.Hidden), logits.AsSpan(0, n * SmallNet.Classes));
            Ops.ArgMaxRows(logits.AsSpan(0, n * SmallNet.Classes), predictions, SmallNet.Classes);
        }

        float InputGradient(ReadOnlySpan<float> x, ReadOnlySpan<int> y, Span<float> gradient)
        {
            int n = y.Length;
            return SmallNet.LossInputGradient(x, y, w1.Value, b1.Value, w2.Value,
                a1.AsSpan(0, n * SmallNet.Hidden), z1.AsSpan(0, n * SmallNet.Hidden), h1.AsSpan(0, n * SmallNet.Hidden), logits.AsSpan(0, n * SmallNet.Classes), gradient);
        }

        // Training: the loss falls far below its start (ln 10 ≈ 2.3 for an untrained net); accuracy beats chance (10 %) by far.
        Assert.True(lastEpochLoss < 0.5 * firstLoss, $"loss did not fall: first batch {firstLoss}, last epoch {lastEpochLoss}");
        var fgsm = new Fgsm(InputGradient, SmallNet.Inputs, new FgsmOptions { Epsilon = 0.1f });
        RobustAccuracyResult result = RobustAccuracy.Evaluate(Classify, fgsm, test.Features, test.Labels, 200);
        Assert.True(result.CleanAccuracy > 0.7, $"clean accuracy {result.CleanAccuracy}");

        // Attack: the input gradient of the same loss moves x and destroys most of that accuracy.
        Assert.True(result.AdversarialAccuracy < result.CleanAccuracy - 0.3, $"FGSM ε = 0.1 left accuracy at {result.AdversarialAccuracy} (clean {result.CleanAccuracy})");
    }

    internal static string RepositoryRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "DiffGen.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("DiffGen.sln not found above " + AppContext.BaseDirectory);
    }
}
