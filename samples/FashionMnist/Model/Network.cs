using System;
using DiffGen;
using DiffGen.Adversarial;
using DiffGen.Optimization;

namespace FashionMnist.Model;

/// <summary>The parameters θ of <see cref="Mlp"/> with their gradients, scratch buffers, and the delegates attacks consume.</summary>
public sealed class Network
{
    private readonly Scratch _scratch = new();

    public Network(int seed)
    {
        var random = new Random(seed);
        Parameters = new Parameters<float>();
        W1 = Parameters.Add("W1", Mlp.Inputs * Mlp.Hidden1).InitKaimingUniform(random, Mlp.Inputs);
        C = Parameters.Add("c", Mlp.Hidden1).InitZeros();
        W2 = Parameters.Add("W2", Mlp.Hidden1 * Mlp.Hidden2).InitKaimingUniform(random, Mlp.Hidden1);
        D = Parameters.Add("d", Mlp.Hidden2).InitZeros();
        W3 = Parameters.Add("W3", Mlp.Hidden2 * Mlp.Classes).InitXavierUniform(random, Mlp.Hidden2, Mlp.Classes);
    }

    public Parameters<float> Parameters { get; }

    public Parameter<float> W1 { get; }

    public Parameter<float> C { get; }

    public Parameter<float> W2 { get; }

    public Parameter<float> D { get; }

    public Parameter<float> W3 { get; }

    /// <summary>Adds ∇θ of the batch loss into the parameters' gradient buffers; returns the loss.</summary>
    public float AccumulateParameterGradient(ReadOnlySpan<float> x, ReadOnlySpan<int> labels)
    {
        int rows = labels.Length;
        _scratch.Ensure(rows);
        return Mlp.LossGradient(
            x, labels, W1.Value, C.Value, W2.Value, D.Value, W3.Value,
            _scratch.A1(rows), _scratch.Z1(rows), _scratch.H1(rows), _scratch.A2(rows), _scratch.Z2(rows), _scratch.H2(rows), _scratch.Logits(rows),
            W1.Grad, C.Grad, W2.Grad, D.Grad, W3.Grad);
    }

    /// <summary>Adds ∇ₓ of the batch loss into <paramref name="gradient"/>; returns the loss. This is what attacks use.</summary>
    public float AccumulateInputGradient(ReadOnlySpan<float> x, ReadOnlySpan<int> labels, Span<float> gradient)
    {
        int rows = labels.Length;
        _scratch.Ensure(rows);
        return Mlp.LossInputGradient(
            x, labels, W1.Value, C.Value, W2.Value, D.Value, W3.Value,
            _scratch.A1(rows), _scratch.Z1(rows), _scratch.H1(rows), _scratch.A2(rows), _scratch.Z2(rows), _scratch.H2(rows), _scratch.Logits(rows),
            gradient);
    }

    /// <summary>Logits of each row of x, written into <paramref name="logits"/> (rows × 10).</summary>
    public void Logits(ReadOnlySpan<float> x, int rows, Span<float> logits)
    {
        _scratch.Ensure(rows);
        Mlp.Logits(
            x, rows, W1.Value, C.Value, W2.Value, D.Value, W3.Value,
            _scratch.A1(rows), _scratch.Z1(rows), _scratch.H1(rows), _scratch.A2(rows), _scratch.Z2(rows), _scratch.H2(rows), logits);
    }

    /// <summary>Predicted class of each row.</summary>
    public void Predict(ReadOnlySpan<float> x, Span<int> predictions)
    {
        int rows = predictions.Length;
        _scratch.Ensure(rows);
        Span<float> logits = _scratch.Logits(rows);
        Logits(x, rows, logits);
        Ops.ArgMaxRows(logits, predictions, Mlp.Classes);
    }

    /// <summary>Softmax probabilities of one image.</summary>
    public float[] Probabilities(ReadOnlySpan<float> image)
    {
        float[] logits = new float[Mlp.Classes];
        Logits(image, 1, logits);
        float[] probabilities = new float[Mlp.Classes];
        Ops.Softmax(logits, probabilities, Mlp.Classes);
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
            Predict(features.Slice(start * Mlp.Inputs, rows * Mlp.Inputs), p);
            for (int i = 0; i < rows; i++)
            {
                correct += p[i] == labels[start + i] ? 1 : 0;
            }
        }

        return (double)correct / labels.Length;
    }

    /// <summary>Intermediate activations for the largest batch seen; sliced per call (no allocation once grown).</summary>
    private sealed class Scratch
    {
        private float[] _a1 = Array.Empty<float>(), _z1 = Array.Empty<float>(), _h1 = Array.Empty<float>();
        private float[] _a2 = Array.Empty<float>(), _z2 = Array.Empty<float>(), _h2 = Array.Empty<float>(), _logits = Array.Empty<float>();
        private int _rows;

        public void Ensure(int rows)
        {
            if (rows <= _rows)
            {
                return;
            }

            _rows = rows;
            _a1 = new float[rows * Mlp.Hidden1];
            _z1 = new float[rows * Mlp.Hidden1];
            _h1 = new float[rows * Mlp.Hidden1];
            _a2 = new float[rows * Mlp.Hidden2];
            _z2 = new float[rows * Mlp.Hidden2];
            _h2 = new float[rows * Mlp.Hidden2];
            _logits = new float[rows * Mlp.Classes];
        }

        public Span<float> A1(int rows) => _a1.AsSpan(0, rows * Mlp.Hidden1);

        public Span<float> Z1(int rows) => _z1.AsSpan(0, rows * Mlp.Hidden1);

        public Span<float> H1(int rows) => _h1.AsSpan(0, rows * Mlp.Hidden1);

        public Span<float> A2(int rows) => _a2.AsSpan(0, rows * Mlp.Hidden2);

        public Span<float> Z2(int rows) => _z2.AsSpan(0, rows * Mlp.Hidden2);

        public Span<float> H2(int rows) => _h2.AsSpan(0, rows * Mlp.Hidden2);

        public Span<float> Logits(int rows) => _logits.AsSpan(0, rows * Mlp.Classes);
    }
}
