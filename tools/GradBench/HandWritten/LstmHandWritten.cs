using System;
using System.Buffers;

namespace DiffGen.GradBench.HandWritten;

/// <summary>
/// The careful person's gradient of <see cref="Evals.Lstm.Objective"/>: the forward sweep keeps each step's gate values
/// and states (8 per cell, pooled), the reverse sweep runs the steps backwards carrying each layer's hidden and cell
/// adjoints.
/// </summary>
public static class LstmHandWritten
{
    /// <summary>Returns the loss and adds its gradient with respect to the main and extra parameters.</summary>
    public static double ObjectiveGradient(
        ReadOnlySpan<double> mainParams, ReadOnlySpan<double> extraParams, ReadOnlySpan<double> state, ReadOnlySpan<double> sequence,
        int layers, Span<double> dmain, Span<double> dextra)
    {
        int b = extraParams.Length / 3;
        int c = sequence.Length / b;
        if (dmain.Length != mainParams.Length || dextra.Length != extraParams.Length || mainParams.Length != 8 * b * layers || state.Length != 2 * b * layers)
        {
            throw new ArgumentException("main parameters 2l × 4b, extra 3 × b, state 2l × b, gradients like their parameters.");
        }

        int steps = c - 1;
        int record = 8 * b * layers;
        double[] tape = ArrayPool<double>.Shared.Rent(Math.Max(1, steps * record + steps * b + 4 * layers * b + 3 * b));
        Span<double> saved = tape.AsSpan(0, steps * record);
        Span<double> predictions = tape.AsSpan(steps * record, steps * b);
        Span<double> hidden = tape.AsSpan(steps * record + steps * b, 2 * layers * b);
        Span<double> bars = tape.AsSpan(steps * record + steps * b + 2 * layers * b, 2 * layers * b);
        Span<double> work = tape.AsSpan(steps * record + steps * b + 4 * layers * b, 3 * b);
        Span<double> scaled = work[..b];
        Span<double> dprediction = work.Slice(b, b);
        Span<double> dinput = work.Slice(2 * b, b);
        state.CopyTo(hidden);

        ReadOnlySpan<double> inWeight = extraParams[..b], outWeight = extraParams.Slice(b, b), outBias = extraParams.Slice(2 * b, b);
        double total = 0;
        for (int t = 0; t < steps; t++)
        {
            for (int i = 0; i < b; i++)
            {
                scaled[i] = sequence[t * b + i] * inWeight[i];
            }

            for (int layer = 0; layer < layers; layer++)
            {
                ReadOnlySpan<double> p = mainParams.Slice(8 * b * layer, 8 * b);
                Span<double> h = hidden.Slice(2 * b * layer, b), cell = hidden.Slice(2 * b * layer + b, b);
                Span<double> s = saved.Slice(t * record + 8 * b * layer, 8 * b);
                for (int i = 0; i < b; i++)
                {
                    double input = layer == 0 ? scaled[i] : hidden[2 * b * (layer - 1) + i];
                    double forget = Sigmoid(input * p[i] + p[4 * b + i]);
                    double ingate = Sigmoid(h[i] * p[b + i] + p[5 * b + i]);
                    double outgate = Sigmoid(input * p[2 * b + i] + p[6 * b + i]);
                    double change = Math.Tanh(h[i] * p[3 * b + i] + p[7 * b + i]);
                    double cellNew = cell[i] * forget + ingate * change;
                    double tanhCell = Math.Tanh(cellNew);
                    s[8 * i] = input;
                    s[8 * i + 1] = forget;
                    s[8 * i + 2] = ingate;
                    s[8 * i + 3] = outgate;
                    s[8 * i + 4] = change;
                    s[8 * i + 5] = cell[i];
                    s[8 * i + 6] = tanhCell;
                    s[8 * i + 7] = h[i];
                    cell[i] = cellNew;
                    h[i] = outgate * tanhCell;
                }
            }

            ReadOnlySpan<double> top = hidden.Slice(2 * b * (layers - 1), b);
            Span<double> prediction = predictions.Slice(t * b, b);
            double sum = 0;
            for (int i = 0; i < b; i++)
            {
                prediction[i] = top[i] * outWeight[i] + outBias[i];
                sum += Math.Exp(prediction[i]);
            }

            double lse = Math.Log(sum + 2);
            for (int i = 0; i < b; i++)
            {
                total += sequence[(t + 1) * b + i] * (prediction[i] - lse);
            }
        }

        int count = b * steps;
        double loss = -total / count;

        // Reverse: d loss/d total = −1/count; each step's share −Σᵢ gᵢ(ŷᵢ − lse) has ∂/∂ŷᵢ = gᵢ − (Σ g)·exp ŷᵢ/(Σ exp ŷ + 2).
        double seed = -1.0 / count;
        bars.Clear();
        Span<double> dinWeight = dextra[..b], doutWeight = dextra.Slice(b, b), doutBias = dextra.Slice(2 * b, b);
        for (int t = steps - 1; t >= 0; t--)
        {
            ReadOnlySpan<double> prediction = predictions.Slice(t * b, b);
            ReadOnlySpan<double> gold = sequence.Slice((t + 1) * b, b);
            double sum = 0, goldSum = 0;
            for (int i = 0; i < b; i++)
            {
                sum += Math.Exp(prediction[i]);
                goldSum += gold[i];
            }

            double inverse = 1 / (sum + 2);
            int topLayer = layers - 1;
            for (int i = 0; i < b; i++)
            {
                double dp = seed * (gold[i] - goldSum * Math.Exp(prediction[i]) * inverse);
                double topHidden = saved[t * record + 8 * b * topLayer + 8 * i + 3] * saved[t * record + 8 * b * topLayer + 8 * i + 6];
                doutWeight[i] += dp * topHidden;
                doutBias[i] += dp;
                bars[2 * b * topLayer + i] += dp * outWeight[i];
            }

            for (int layer = layers - 1; layer >= 0; layer--)
            {
                ReadOnlySpan<double> p = mainParams.Slice(8 * b * layer, 8 * b);
                Span<double> dp = dmain.Slice(8 * b * layer, 8 * b);
                Span<double> dh = bars.Slice(2 * b * layer, b), dcell = bars.Slice(2 * b * layer + b, b);
                ReadOnlySpan<double> s = saved.Slice(t * record + 8 * b * layer, 8 * b);
                for (int i = 0; i < b; i++)
                {
                    double input = s[8 * i], forget = s[8 * i + 1], ingate = s[8 * i + 2], outgate = s[8 * i + 3];
                    double change = s[8 * i + 4], cellPrevious = s[8 * i + 5], tanhCell = s[8 * i + 6], hiddenPrevious = s[8 * i + 7];
                    double dhNew = dh[i];
                    double doutgate = dhNew * tanhCell;
                    double dcellNew = dcell[i] + dhNew * outgate * (1 - tanhCell * tanhCell);
                    double zf = dcellNew * cellPrevious * forget * (1 - forget);
                    double zi = dcellNew * change * ingate * (1 - ingate);
                    double zo = doutgate * outgate * (1 - outgate);
                    double zc = dcellNew * ingate * (1 - change * change);
                    dp[i] += zf * input;
                    dp[4 * b + i] += zf;
                    dp[b + i] += zi * hiddenPrevious;
                    dp[5 * b + i] += zi;
                    dp[2 * b + i] += zo * input;
                    dp[6 * b + i] += zo;
                    dp[3 * b + i] += zc * hiddenPrevious;
                    dp[7 * b + i] += zc;
                    dinput[i] = zf * p[i] + zo * p[2 * b + i];
                    dh[i] = zi * p[b + i] + zc * p[3 * b + i];
                    dcell[i] = dcellNew * forget;
                }

                if (layer > 0)
                {
                    Span<double> below = bars.Slice(2 * b * (layer - 1), b);
                    for (int i = 0; i < b; i++)
                    {
                        below[i] += dinput[i];
                    }
                }
                else
                {
                    for (int i = 0; i < b; i++)
                    {
                        dinWeight[i] += dinput[i] * sequence[t * b + i];
                    }
                }
            }
        }

        ArrayPool<double>.Shared.Return(tape);
        return loss;
    }

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));
}
