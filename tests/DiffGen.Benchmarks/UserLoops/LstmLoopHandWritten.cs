using System;
using System.Buffers;
using System.Numerics.Tensors;

namespace DiffGen.Benchmarks.UserLoops;

/// <summary>
/// The careful person's gradient of <see cref="LstmLoop.Loss"/>: the pre-activations by vectorised dot products, the
/// gate activations and tanh(c') by TensorPrimitives, the gates' adjoints unit by unit, then per row of W and U one
/// vectorised axpy into its gradient row and one into dx.
/// </summary>
public static class LstmLoopHandWritten
{
    /// <summary>Returns the loss and adds its gradient with respect to W, U, b and x into dw, du, db, dx.</summary>
    public static double LossGradient(
        ReadOnlySpan<double> w, ReadOnlySpan<double> u, ReadOnlySpan<double> b, ReadOnlySpan<double> x,
        ReadOnlySpan<double> h, ReadOnlySpan<double> c, ReadOnlySpan<double> target,
        Span<double> dw, Span<double> du, Span<double> db, Span<double> dx) =>
        Gradient(w, u, b, x, h, c, target, dw, du, db, dx, sameValue: false);

    /// <summary>
    /// The same with the pre-activations summed in the user's order and the activations element by element: the loss is
    /// the user's bit for bit.
    /// </summary>
    public static double LossGradientSameValue(
        ReadOnlySpan<double> w, ReadOnlySpan<double> u, ReadOnlySpan<double> b, ReadOnlySpan<double> x,
        ReadOnlySpan<double> h, ReadOnlySpan<double> c, ReadOnlySpan<double> target,
        Span<double> dw, Span<double> du, Span<double> db, Span<double> dx) =>
        Gradient(w, u, b, x, h, c, target, dw, du, db, dx, sameValue: true);

    private static double Gradient(
        ReadOnlySpan<double> w, ReadOnlySpan<double> u, ReadOnlySpan<double> b, ReadOnlySpan<double> x,
        ReadOnlySpan<double> h, ReadOnlySpan<double> c, ReadOnlySpan<double> target,
        Span<double> dw, Span<double> du, Span<double> db, Span<double> dx, bool sameValue)
    {
        int hidden = h.Length, inputs = x.Length, rows = 4 * hidden;
        if (w.Length != rows * inputs || u.Length != rows * hidden || b.Length != rows || c.Length != hidden || target.Length != hidden
            || dw.Length != w.Length || du.Length != u.Length || db.Length != b.Length || dx.Length != x.Length)
        {
            throw new ArgumentException("W must be [4H × x.Length], U [4H × H], b 4H, c and the target H, each gradient like its parameter.");
        }

        // Scratch: the gates (activated in place), their adjoints, and tanh(c').
        int scratchLength = 2 * rows + hidden;
        double[]? rented = null;
        Span<double> scratch = scratchLength <= 2048 ? stackalloc double[2048] : (rented = ArrayPool<double>.Shared.Rent(scratchLength));
        Span<double> gates = scratch[..rows], dgates = scratch.Slice(rows, rows), tanhCell = scratch.Slice(2 * rows, hidden);
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<double> wRow = w.Slice(r * inputs, inputs), uRow = u.Slice(r * hidden, hidden);
            gates[r] = sameValue
                ? Sequential.Dot(Sequential.Dot(b[r], wRow, x), uRow, h)
                : b[r] + TensorPrimitives.Dot(wRow, x) + TensorPrimitives.Dot(uRow, h);
        }

        Span<double> inputGate = gates[..hidden], forgetGate = gates.Slice(hidden, hidden);
        Span<double> candidate = gates.Slice(2 * hidden, hidden), outputGate = gates.Slice(3 * hidden, hidden);
        if (sameValue)
        {
            for (int j = 0; j < hidden; j++)
            {
                inputGate[j] = 1 / (1 + Math.Exp(-inputGate[j]));
                forgetGate[j] = 1 / (1 + Math.Exp(-forgetGate[j]));
                candidate[j] = Math.Tanh(candidate[j]);
                outputGate[j] = 1 / (1 + Math.Exp(-outputGate[j]));
                tanhCell[j] = Math.Tanh(forgetGate[j] * c[j] + inputGate[j] * candidate[j]);
            }
        }
        else
        {
            TensorPrimitives.Sigmoid(gates[..(2 * hidden)], gates[..(2 * hidden)]);
            TensorPrimitives.Tanh(candidate, candidate);
            TensorPrimitives.Sigmoid(outputGate, outputGate);
            TensorPrimitives.Multiply(inputGate, candidate, tanhCell);
            TensorPrimitives.MultiplyAdd(forgetGate, c, tanhCell, tanhCell);
            TensorPrimitives.Tanh(tanhCell, tanhCell);
        }

        double loss = 0;
        for (int j = 0; j < hidden; j++)
        {
            double i = inputGate[j], f = forgetGate[j], g = candidate[j], o = outputGate[j], t = tanhCell[j];
            double e = o * t - target[j];
            loss += e * e;
            double dh = 2 * e;
            double dcell = dh * o * (1 - t * t);
            dgates[j] = dcell * g * i * (1 - i);
            dgates[hidden + j] = dcell * c[j] * f * (1 - f);
            dgates[2 * hidden + j] = dcell * i * (1 - g * g);
            dgates[3 * hidden + j] = dh * t * o * (1 - o);
        }

        for (int r = 0; r < rows; r++)
        {
            double dz = dgates[r];
            db[r] += dz;
            Span<double> dwRow = dw.Slice(r * inputs, inputs), duRow = du.Slice(r * hidden, hidden);
            TensorPrimitives.MultiplyAdd(x, dz, dwRow, dwRow);
            TensorPrimitives.MultiplyAdd(h, dz, duRow, duRow);
            TensorPrimitives.MultiplyAdd(w.Slice(r * inputs, inputs), dz, dx, dx);
        }

        if (rented is not null)
        {
            ArrayPool<double>.Shared.Return(rented);
        }

        return loss;
    }
}
