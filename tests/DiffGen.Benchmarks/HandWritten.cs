using System;
using System.Globalization;
using System.Linq;
using System.Numerics;
using System.Runtime.Intrinsics;

namespace DiffGen.Benchmarks;

/// <summary>
/// The hand-written baselines the generated gradients are measured against: what a careful person would write without
/// DiffGen. Same semantics as the generated methods (return the value, ADD the gradient).
/// </summary>
public static class HandWritten
{
    /// <summary>2-D Rosenbrock and its gradient in closed form, common subexpressions shared (fused).</summary>
    public static double RosenbrockGradient(double x, double y, ref double dx, ref double dy)
    {
        double u = 1 - x;
        double t = y - x * x;
        dx += -2 * u - 400 * x * t;
        dy += 200 * t;
        return u * u + 100 * t * t;
    }

    /// <summary>Extended Rosenbrock and its gradient in one pass over the pairs (a tight scalar loop).</summary>
    public static double ExtendedRosenbrockGradient(ReadOnlySpan<double> x, Span<double> dx)
    {
        if (dx.Length != x.Length)
        {
            throw new ArgumentException("dx must have the length of x.", nameof(dx));
        }

        int n = x.Length & ~1;
        x = x[..n];
        dx = dx[..n];
        double sum = 0;
        for (int i = 0; i < x.Length - 1; i += 2)
        {
            double a = x[i];
            double t = x[i + 1] - a * a;
            double u = 1 - a;
            sum += 100 * t * t + u * u;
            dx[i] += -400 * a * t - 2 * u;
            dx[i + 1] += 200 * t;
        }

        return sum;
    }

    /// <summary>The squared hinge of <see cref="Functions.SquaredHinge"/> and its gradient with respect to w, in one pass.</summary>
    public static double SquaredHingeGradient(ReadOnlySpan<double> w, ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> dw)
    {
        int n = x.Length;
        if (dw.Length != w.Length)
        {
            throw new ArgumentException("dw must have the length of w.", nameof(dw));
        }

        w = w[..n];
        y = y[..n];
        dw = dw[..n];
        double inverse = 1.0 / n;
        double below = -2.0 * inverse, above = -0.1 * inverse;
        double sum = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double yx = y[i] * x[i];
            double m = y[i] * w[i] * x[i];
            if (m < 1)
            {
                double slack = 1 - m;
                sum += slack * slack;
                dw[i] += below * slack * yx;
            }
            else
            {
                sum -= 0.1 * m;
                dw[i] += above * yx;
            }
        }

        return sum / n;
    }

    /// <summary>
    /// adversarial = clamp(x + ε·sign(g), min, max) with sign(0) = 0, Vector256 with a scalar tail (what Fgsm does after
    /// the gradient).
    /// </summary>
    public static void SignStep(ReadOnlySpan<float> x, ReadOnlySpan<float> g, float epsilon, float min, float max, Span<float> adversarial)
    {
        int n = x.Length;
        if (g.Length != n || adversarial.Length != n)
        {
            throw new ArgumentException("Spans must have the same length.", nameof(adversarial));
        }

        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<float> step = Vector256.Create(epsilon), lo = Vector256.Create(min), hi = Vector256.Create(max);
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                Vector256<float> gv = Vector256.Create(g.Slice(i, Vector256<float>.Count));
                Vector256<float> xv = Vector256.Create(x.Slice(i, Vector256<float>.Count));
                Vector256<float> moved = xv + (Vector256.GreaterThan(gv, Vector256<float>.Zero) & step) - (Vector256.LessThan(gv, Vector256<float>.Zero) & step);
                Vector256.Min(Vector256.Max(moved, lo), hi).CopyTo(adversarial.Slice(i, Vector256<float>.Count));
            }
        }

        for (; i < n; i++)
        {
            float moved = g[i] > 0 ? x[i] + epsilon : g[i] < 0 ? x[i] - epsilon : x[i];
            adversarial[i] = Math.Min(Math.Max(moved, min), max);
        }
    }

    /// <summary>
    /// One BIM/PGD L∞ step in place: x = clamp(clamp(x + α·sign(g), x0 − ε, x0 + ε), min, max) with sign(0) = 0, Vector256
    /// with a scalar tail.
    /// </summary>
    public static void ProjectedSignStep(Span<float> x, ReadOnlySpan<float> g, ReadOnlySpan<float> x0, float alpha, float epsilon, float min, float max)
    {
        int n = x.Length;
        if (g.Length != n || x0.Length != n)
        {
            throw new ArgumentException("Spans must have the same length.", nameof(x0));
        }

        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<float> step = Vector256.Create(alpha), e = Vector256.Create(epsilon), lo = Vector256.Create(min), hi = Vector256.Create(max);
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                Vector256<float> gv = Vector256.Create(g.Slice(i, Vector256<float>.Count));
                Vector256<float> xv = Vector256.Create(x.Slice(i, Vector256<float>.Count));
                Vector256<float> cv = Vector256.Create(x0.Slice(i, Vector256<float>.Count));
                Vector256<float> moved = xv + (Vector256.GreaterThan(gv, Vector256<float>.Zero) & step) - (Vector256.LessThan(gv, Vector256<float>.Zero) & step);
                moved = Vector256.Min(Vector256.Max(moved, cv - e), cv + e);
                Vector256.Min(Vector256.Max(moved, lo), hi).CopyTo(x.Slice(i, Vector256<float>.Count));
            }
        }

        for (; i < n; i++)
        {
            float moved = g[i] > 0 ? x[i] + alpha : g[i] < 0 ? x[i] - alpha : x[i];
            moved = Math.Min(Math.Max(moved, x0[i] - epsilon), x0[i] + epsilon);
            x[i] = Math.Min(Math.Max(moved, min), max);
        }
    }

    /// <summary>
    /// <see langword="null"/> when <paramref name="action"/> allocates nothing on the calling thread (measured over a few
    /// calls after one warm-up call), else a message. Work the action hands to other threads (Ops.MatMul's second half
    /// on the thread pool) is not counted: this is the allocation of the gradient code itself.
    /// </summary>
    /// <summary>
    /// A model-type loss (one object of Parameter&lt;float&gt;s, its own gradient argument, pooled scratch) computes the span
    /// version's loss and gradient bit for bit, without allocating; null when it does.
    /// </summary>
    public static string? SameAsModelType<TModel>(string what, DiffGen.Optimization.Parameters<float> parameters, Func<float> spanGradient, TModel model, Func<TModel, float> modelGradient)
    {
        parameters.ZeroGrad();
        float expected = spanGradient();
        float[][] gradients = parameters.Select(p => p.GradArray.ToArray()).ToArray();
        parameters.ZeroGrad();
        float actual = modelGradient(model);
        for (int i = 0; i < gradients.Length; i++)
        {
            if (!gradients[i].AsSpan().SequenceEqual(parameters[i].GradArray))
            {
                return what + " model type: the gradient of " + parameters[i].Name + " differs from the span version's";
            }
        }

        return BitConverter.SingleToInt32Bits(expected) != BitConverter.SingleToInt32Bits(actual)
            ? what + " model type: loss " + actual + " differs from " + expected
            : NoAllocation(what + " model-type gradient", () => modelGradient(model));
    }

    public static string? NoAllocation(string what, Action action)
    {
        // Steady state: a path taken for the first time (a parallel GEMM's caller running the helper's half when the
        // helper is busy with another caller, on a loaded machine) may allocate its per-thread buffers once. Up to five
        // rounds of three calls; a per-call allocation shows in every round.
        long bytes = 0;
        action();
        for (int round = 0; round < 5; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 3; i++)
            {
                action();
            }

            bytes = GC.GetAllocatedBytesForCurrentThread() - before;
            if (bytes == 0)
            {
                return null;
            }
        }

        return string.Create(CultureInfo.InvariantCulture, $"{what} allocated {bytes / 3.0:F0} B per call in each of five rounds");
    }

    /// <summary>
    /// <see langword="null"/> when a network's generated parameter gradient agrees with its hand-written one (loss within
    /// 1e-6, every gradient within 1e-5, from zeroed gradients) and both training steps allocate nothing, else a message.
    /// </summary>
    public static string? SameStep(string model, Optimization.Parameters<float> parameters, Func<float> generated, Func<float> handWritten, Action generatedStep, Action handWrittenStep)
    {
        parameters.ZeroGrad();
        float value = generated();
        float[][] gradients = [.. parameters.Select(p => p.Grad.ToArray())];
        parameters.ZeroGrad();
        float expected = handWritten();
        string? problem = Agree<float>(model + " loss", [value], [expected], 1e-6);
        for (int i = 0; i < gradients.Length && problem is null; i++)
        {
            problem = Agree<float>(model + " d" + parameters[i].Name, gradients[i], parameters[i].Grad, 1e-5);
        }

        return problem
            ?? NoAllocation(model + " generated SGD step", generatedStep)
            ?? NoAllocation(model + " hand-written SGD step", handWrittenStep);
    }

    /// <summary>Uniform values in [low, high).</summary>
    public static T[] Fill<T>(Random random, int length, double low = -1, double high = 1)
        where T : IFloatingPoint<T>
    {
        var values = new T[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = T.CreateChecked(low + (high - low) * random.NextDouble());
        }

        return values;
    }

    /// <summary>Random class labels in [0, classes).</summary>
    public static int[] Labels(Random random, int length, int classes)
    {
        var labels = new int[length];
        for (int i = 0; i < length; i++)
        {
            labels[i] = random.Next(classes);
        }

        return labels;
    }

    /// <summary><see langword="null"/> when every |actual − expected| ≤ tolerance·max(1, |expected|), else a message naming the worst element.</summary>
    public static string? Agree<T>(string what, ReadOnlySpan<T> actual, ReadOnlySpan<T> expected, double tolerance)
        where T : IFloatingPoint<T>
    {
        if (actual.Length != expected.Length)
        {
            return $"{what}: length {actual.Length} vs {expected.Length}";
        }

        int worst = -1;
        double worstError = 0;
        for (int i = 0; i < actual.Length; i++)
        {
            double a = double.CreateChecked(actual[i]), e = double.CreateChecked(expected[i]);
            double error = Math.Abs(a - e) / Math.Max(1, Math.Abs(e));
            if (!(error <= worstError))
            {
                worstError = error;
                worst = i;
            }

            // A NaN is the worst there is: a later finite element must not replace it.
            if (double.IsNaN(error))
            {
                break;
            }
        }

        return worst >= 0 && !(worstError <= tolerance)
            ? string.Create(CultureInfo.InvariantCulture, $"{what}[{worst}]: generated {actual[worst]} vs hand-written {expected[worst]} (relative error {worstError:E2})")
            : null;
    }
}
