using System;
using DiffGen;
using DiffGen.Adversarial;
using DiffGen.Distributed;
using DiffGen.Optimization;

namespace FashionMnist.Model;

/// <summary>
/// A classifier of 28 × 28 images into 10 classes: its parameters θ with their gradients, the two generated gradients
/// of its loss (∇θ for training, ∇ₓ for attacks), and what is built on its logits (predictions, accuracy).
/// </summary>
public abstract class Network
{
    /// <summary>Pixels per image (1 × 28 × 28).</summary>
    public const int Inputs = 784;

    public const int Classes = 10;

    /// <summary>The names <see cref="Create"/> accepts.</summary>
    public static readonly string[] Models = { "cnn", "mlp" };

    /// <summary>"cnn" or "mlp".</summary>
    public abstract string Name { get; }

    /// <summary>One line for the log: the layers.</summary>
    public abstract string Description { get; }

    public abstract Parameters<float> Parameters { get; }

    /// <summary>A freshly initialised network of the named kind.</summary>
    public static Network Create(string model, int seed) => model switch
    {
        "cnn" => new CnnNetwork(seed),
        "mlp" => new MlpNetwork(seed),
        _ => throw new ArgumentException($"Unknown model '{model}'; expected one of: {string.Join(", ", Models)}.", nameof(model)),
    };

    /// <summary>Adds ∇θ of the batch loss into the parameters' gradient buffers; returns the loss.</summary>
    public abstract float AccumulateParameterGradient(ReadOnlySpan<float> x, ReadOnlySpan<int> labels);

    /// <summary>A data-parallel worker's share of a step on <paramref name="rows"/> rows, with activations of its own.</summary>
    public abstract NetworkShard CreateShard(int rows);

    /// <summary>Adds ∇ₓ of the batch loss into <paramref name="gradient"/>; returns the loss. This is what attacks use.</summary>
    public abstract float AccumulateInputGradient(ReadOnlySpan<float> x, ReadOnlySpan<int> labels, Span<float> gradient);

    /// <summary>Logits of each row of x, written into <paramref name="logits"/> (rows × 10).</summary>
    public abstract void Logits(ReadOnlySpan<float> x, int rows, Span<float> logits);

    /// <summary>Predicted class of each row.</summary>
    public void Predict(ReadOnlySpan<float> x, Span<int> predictions)
    {
        int rows = predictions.Length;
        Span<float> logits = LogitsBuffer(rows);
        Logits(x, rows, logits);
        Ops.ArgMaxRows(logits, predictions, Classes);
    }

    /// <summary>Softmax probabilities of one image.</summary>
    public float[] Probabilities(ReadOnlySpan<float> image)
    {
        float[] logits = new float[Classes];
        Logits(image, 1, logits);
        float[] probabilities = new float[Classes];
        Ops.Softmax(logits, probabilities, Classes);
        return probabilities;
    }

    public InputGradient InputGradient => AccumulateInputGradient;

    public Classifier Classifier => Predict;

    /// <summary>Accuracy over a dataset, evaluated in batches.</summary>
    public double Accuracy(ReadOnlySpan<float> features, ReadOnlySpan<int> labels, int batchSize = 500)
    {
        int correct = 0;
        int[] predictions = new int[batchSize];
        for (int start = 0; start < labels.Length; start += batchSize)
        {
            int rows = Math.Min(batchSize, labels.Length - start);
            Span<int> p = predictions.AsSpan(0, rows);
            Predict(features.Slice(start * Inputs, rows * Inputs), p);
            for (int i = 0; i < rows; i++)
            {
                correct += p[i] == labels[start + i] ? 1 : 0;
            }
        }

        return (double)correct / labels.Length;
    }

    /// <summary>A logits buffer for <paramref name="rows"/> rows that <see cref="Logits"/> may write while using its own scratch.</summary>
    protected abstract Span<float> LogitsBuffer(int rows);
}

/// <summary>
/// One worker's share of a data-parallel step: ∇θ of the mean loss of its rows added into the shard's gradient buffers
/// (<see cref="ShardGradients{T}"/>), with activations of its own so shards can run on any thread at once.
/// </summary>
public abstract class NetworkShard
{
    protected NetworkShard(int rows) => Rows = rows;

    public int Rows { get; }

    /// <summary>Adds ∇θ of the mean loss of <paramref name="x"/>'s rows into <paramref name="gradients"/>; returns the loss.</summary>
    public abstract float Gradient(ReadOnlySpan<float> x, ReadOnlySpan<int> labels, ShardGradients<float> gradients);
}
