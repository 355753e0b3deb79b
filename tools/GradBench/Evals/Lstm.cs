using System;

namespace DiffGen.GradBench.Evals;

/// <summary>
/// gradbench's <c>lstm</c> (ADBench's LSTM, diagonal weight matrices): l layers of b cells run over a sequence of c
/// characters, b bits each; the objective is the mean log-likelihood loss of predicting each next character.
/// </summary>
public static partial class Lstm
{
    /// <summary>
    /// The loss −Σₜ Σᵢ yₜ₊₁,ᵢ·(ŷₜ,ᵢ − log(Σⱼ exp ŷₜ,ⱼ + 2)) / (b(c − 1)). <paramref name="mainParams"/> is 2l rows of 4b
    /// (per layer a weight row then a bias row, each forget, input, output and change gates), <paramref name="extraParams"/>
    /// 3 rows of b (input weight, output weight, output bias), <paramref name="state"/> 2l rows of b (per layer hidden then
    /// cell), <paramref name="sequence"/> c rows of b; all row-major. <paramref name="hidden"/> (2lb, the running state)
    /// and <paramref name="prediction"/> (b) are the caller's scratch.
    /// </summary>
    [Differentiable(nameof(mainParams), nameof(extraParams))]
    public static double Objective(
        ReadOnlySpan<double> mainParams, ReadOnlySpan<double> extraParams, ReadOnlySpan<double> state, ReadOnlySpan<double> sequence,
        int layers, Span<double> hidden, Span<double> prediction)
    {
        int b = extraParams.Length / 3;
        int c = sequence.Length / b;
        for (int i = 0; i < 2 * layers * b; i++)
        {
            hidden[i] = state[i];
        }

        double total = 0;
        for (int t = 0; t < c - 1; t++)
        {
            for (int i = 0; i < b; i++)
            {
                prediction[i] = sequence[t * b + i] * extraParams[i];
            }

            for (int layer = 0; layer < layers; layer++)
            {
                int weight = 8 * b * layer;
                int bias = weight + 4 * b;
                int h = 2 * b * layer;
                int cell = h + b;
                for (int i = 0; i < b; i++)
                {
                    // The first layer reads the scaled input; each later one the hidden state just computed below it.
                    double input = layer == 0 ? prediction[i] : hidden[h - 2 * b + i];
                    double forget = 1 / (1 + Math.Exp(-(input * mainParams[weight + i] + mainParams[bias + i])));
                    double ingate = 1 / (1 + Math.Exp(-(hidden[h + i] * mainParams[weight + b + i] + mainParams[bias + b + i])));
                    double outgate = 1 / (1 + Math.Exp(-(input * mainParams[weight + 2 * b + i] + mainParams[bias + 2 * b + i])));
                    double change = Math.Tanh(hidden[h + i] * mainParams[weight + 3 * b + i] + mainParams[bias + 3 * b + i]);
                    hidden[cell + i] = hidden[cell + i] * forget + ingate * change;
                    hidden[h + i] = outgate * Math.Tanh(hidden[cell + i]);
                }
            }

            int top = 2 * b * (layers - 1);
            double sum = 0;
            for (int i = 0; i < b; i++)
            {
                prediction[i] = hidden[top + i] * extraParams[b + i] + extraParams[2 * b + i];
                sum += Math.Exp(prediction[i]);
            }

            double lse = Math.Log(sum + 2);
            for (int i = 0; i < b; i++)
            {
                total += sequence[(t + 1) * b + i] * (prediction[i] - lse);
            }
        }

        return -total / (b * (c - 1));
    }
}
