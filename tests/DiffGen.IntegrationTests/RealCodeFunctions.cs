using System;
using System.Collections.Generic;
using System.Linq;

namespace DiffGen.IntegrationTests;

/// <summary>Helpers nobody annotated, as people write them: they are inlined into the [Differentiable] methods below.</summary>
public static class Activations
{
    public static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));

    public static double Softplus(double z)
    {
        if (z > 30)
        {
            return z; // log(1 + e^z) = z in double precision
        }

        return Math.Log(1 + Math.Exp(z));
    }

    public static double Swish(double z)
    {
        double result = z * Sigmoid(z);
        return result;
    }
}

/// <summary>An object with state: a scale read from a field and a property, a method that calls another.</summary>
public sealed class Scaler
{
    internal readonly double Factor;

    public Scaler(double factor) => Factor = factor;

    public double Bias => Factor / 4;

    public double Apply(double v) => Factor * v * v + Offset(v);

    private double Offset(double v) => Bias * v;
}

public static class Statistics
{
    public static void MeanVariance(ReadOnlySpan<double> v, out double mean, out double variance)
    {
        mean = 0;
        for (int i = 0; i < v.Length; i++)
        {
            mean += v[i];
        }

        mean /= v.Length;
        variance = 0;
        for (int i = 0; i < v.Length; i++)
        {
            double d = v[i] - mean;
            variance += d * d;
        }

        variance /= v.Length;
    }

    public static void AddSquare(ref double total, double v) => total += v * v;
}

public static partial class RealCode
{
    /// <summary>Nested helpers with the same local names, an early return inside a loop body.</summary>
    [Differentiable]
    public static double HelperChain(ReadOnlySpan<double> w, ReadOnlySpan<double> x)
    {
        double result = 0;
        for (int i = 0; i < w.Length; i++)
        {
            double z = w[i] * x[i];
            result += Activations.Swish(z) + Activations.Softplus(z);
        }

        return result;
    }

    /// <summary>An object created in the method: its field, property and methods (one calling another).</summary>
    [Differentiable]
    public static double WithObject(double x)
    {
        var scaler = new Scaler(1.5);
        return scaler.Apply(x) + scaler.Bias * x;
    }

    /// <summary>out and ref parameters of helpers.</summary>
    [Differentiable]
    public static double Standardized(ReadOnlySpan<double> x)
    {
        Statistics.MeanVariance(x, out double mean, out double variance);
        double s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            Statistics.AddSquare(ref s, (x[i] - mean) / Math.Sqrt(variance + 1e-3) * (i + 1));
        }

        return s + mean;
    }

    /// <summary>Code without a derivative around the math: validation, a seeded Random, a List, a string.</summary>
    [Differentiable(nameof(w))]
    public static double Sampled(ReadOnlySpan<double> w, int seed)
    {
        if (w.Length == 0)
        {
            throw new ArgumentException($"w is empty (seed {seed})", nameof(w));
        }

        var random = new Random(seed);
        var picks = new List<int>();
        for (int i = 0; i < 4; i++)
        {
            picks.Add(random.Next(w.Length));
        }

        double s = 1;
        foreach (int p in picks)
        {
            s *= w[p] + random.NextDouble(); // each number is drawn once: the reverse sweep reads it back
        }

        if (double.IsNaN(s))
        {
            throw new InvalidOperationException("the product is NaN: " + s.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        string label = "seed " + seed;
        return s * label.Length;
    }
}

/// <summary>An instance method on a class with state: fields, a property, an array field, a private helper.</summary>
public sealed partial class RidgeRegression
{
    private readonly double[] _features;
    private readonly double[] _targets;

    public RidgeRegression(double[] features, double[] targets, double lambda)
    {
        _features = features;
        _targets = targets;
        Lambda = lambda;
    }

    public double Lambda { get; }

    private int Dimension => _features.Length / _targets.Length;

    [Differentiable(Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]
    public double Loss(ReadOnlySpan<double> weights)
    {
        double total = 0;
        for (int i = 0; i < _targets.Length; i++)
        {
            double residual = Predict(weights, i) - _targets[i];
            total += residual * residual;
        }

        return total / _targets.Length + Lambda * Penalty(weights);
    }

    private double Predict(ReadOnlySpan<double> weights, int row)
    {
        double s = 0;
        for (int j = 0; j < Dimension; j++)
        {
            s += weights[j] * _features[row * Dimension + j];
        }

        return s;
    }

    private static double Penalty(ReadOnlySpan<double> weights)
    {
        double s = 0;
        foreach (double w in weights)
        {
            s += w * w;
        }

        return s;
    }
}

/// <summary>An instance method of a struct reading its own fields.</summary>
public partial struct Spring
{
    public double Stiffness;
    public double RestLength;

    [Differentiable]
    public readonly double Energy(double x, double y)
    {
        double stretch = Math.Sqrt(x * x + y * y) - RestLength;
        return 0.5 * Stiffness * stretch * stretch;
    }
}

public enum Activation
{
    Tanh,
    Relu,
    Softplus,
}

public static partial class RealCode
{
    /// <summary>A switch statement over an enum with returns in its sections.</summary>
    [Differentiable]
    public static double Activate(double x, Activation activation)
    {
        switch (activation)
        {
            case Activation.Tanh:
                return Math.Tanh(x);
            case Activation.Relu:
                return x > 0 ? x : 0.01 * x;
            default:
                return Activations.Softplus(x);
        }
    }

    /// <summary>A switch expression with or, relational and discard patterns, and a guard.</summary>
    [Differentiable]
    public static double Piecewise(double x, int k) => k switch
    {
        0 => x * x,
        1 or 2 => Math.Sin(x) * k,
        < 0 => -x,
        _ when x > 1 => Math.Log(x),
        _ => 3 * x,
    };

    /// <summary>do/while with a continue that must re-test the condition; sections sharing a body; checked arithmetic.</summary>
    [Differentiable]
    public static double Iterated(double x, int mode)
    {
        double r = x;
        int n = 0;
        do
        {
            r = 0.5 * r + 0.1 * Math.Sin(r);
            n++;
            if (n == 2)
            {
                continue;
            }

            r += 0.01 * r * r;
        }
        while (n < 5);

        switch (mode)
        {
            case 1:
            case 2:
                r *= r;
                break;
            case > 5:
                r = Math.Exp(r);
                break;
        }

        return checked(r * 2);
    }
}

/// <summary>LINQ over arrays as people write it: lowered to loops, same value bit for bit.</summary>
public static partial class LinqCode
{
    [Differentiable]
    public static double Moments(double[] xs) => xs.Sum(v => v * v) + xs.Select((v, i) => v * i).Sum() + xs.Average();

    [Differentiable]
    public static double CosineSimilarity(double[] a, double[] b) =>
        a.Zip(b, (p, q) => p * q).Sum() / Math.Sqrt(a.Sum(v => v * v) * b.Sum(v => v * v));

    [Differentiable]
    public static double Spread(double[] xs) => xs.Max() - xs.Min(v => v * 0.5) + xs.Count();

    [Differentiable]
    public static double Compounded(double[] rates) =>
        rates.Aggregate(1.0, (wealth, r) => wealth * (1 + r)) + rates.Aggregate((a, b) => 0.5 * a + b);

    [Differentiable]
    public static double TotalVariation(double[] xs) =>
        System.Linq.Enumerable.Range(1, xs.Length - 1).Sum(i => Math.Abs(xs[i] - xs[i - 1]));

    [Differentiable]
    public static float MeanSquare(float[] xs) => xs.Average(v => v * v) + xs.Sum();
}

/// <summary>A model whose parameters are its own fields and properties: the gradient names them.</summary>
public sealed partial class LogisticModel
{
    public LogisticModel(int features) => Weights = new double[features];

    public double[] Weights { get; }

    public double Bias;

    public static double L2 = 1e-2;

    [Differentiable(nameof(Weights), nameof(Bias))]
    public double Loss(double[] x, int label)
    {
        double z = Bias + Dot(x);
        double p = 1 / (1 + Math.Exp(-z));
        double penalty = 0;
        foreach (double w in Weights)
        {
            penalty += w * w;
        }

        return -(label == 1 ? Math.Log(p) : Math.Log(1 - p)) + L2 * penalty;
    }

    [Differentiable(nameof(x), Name = "InputGradient")]
    public double LossOfInput(double[] x, int label) => Loss(x, label);

    private double Dot(double[] x)
    {
        double s = 0;
        for (int i = 0; i < Weights.Length; i++)
        {
            s += Weights[i] * x[i];
        }

        return s;
    }
}

/// <summary>A vector struct as physics code writes it: a constructor, get-only properties, operators, methods.</summary>
public readonly struct Vec3
{
    public Vec3(double x, double y, double z)
    {
        X = x;
        Y = y;
        Z = z;
    }

    public double X { get; }

    public double Y { get; }

    public double Z { get; }

    public double Length => Math.Sqrt(Dot(this));

    public static Vec3 operator +(Vec3 a, Vec3 b) => new Vec3(a.X + b.X, a.Y + b.Y, a.Z + b.Z);

    public static Vec3 operator -(Vec3 a, Vec3 b) => new Vec3(a.X - b.X, a.Y - b.Y, a.Z - b.Z);

    public static Vec3 operator *(double s, Vec3 a) => new Vec3(s * a.X, s * a.Y, s * a.Z);

    public static double operator *(Vec3 a, Vec3 b) => a.Dot(b);

    public double Dot(Vec3 other) => X * other.X + Y * other.Y + Z * other.Z;

    public Vec3 Cross(Vec3 other) => new(Y * other.Z - Z * other.Y, Z * other.X - X * other.Z, X * other.Y - Y * other.X);
}

/// <summary>A complex number as a positional record struct.</summary>
public record struct ComplexNumber(double Re, double Im)
{
    public static ComplexNumber operator *(ComplexNumber a, ComplexNumber b) => new(a.Re * b.Re - a.Im * b.Im, a.Re * b.Im + a.Im * b.Re);

    public double Abs2 => Re * Re + Im * Im;
}

/// <summary>A mutable struct with public fields, set by an object initializer and field by field.</summary>
public struct ParticleState
{
    public double Px;
    public double Vx;
    public double Mass;
}

public static partial class StructCode
{
    [Differentiable]
    public static double PairEnergy(double[] p)
    {
        double e = 0;
        int n = p.Length / 3;
        for (int i = 0; i < n; i++)
        {
            var a = new Vec3(p[3 * i], p[3 * i + 1], p[3 * i + 2]);
            for (int j = i + 1; j < n; j++)
            {
                var b = new Vec3(p[3 * j], p[3 * j + 1], p[3 * j + 2]);
                Vec3 d = a - b;
                e += 1 / d.Length + 0.1 * (a.Cross(b) * d) + (0.5 * (a + b)).Length;
            }
        }

        return e;
    }

    [Differentiable]
    public static double Iterated(double re, double im)
    {
        var c = new ComplexNumber(re, im);
        var z = new ComplexNumber(0, 0);
        for (int k = 0; k < 5; k++)
        {
            z = z * z;
            z = new ComplexNumber(z.Re + c.Re, z.Im + c.Im);
        }

        return z.Abs2;
    }

    [Differentiable]
    public static double Oscillator(double px, double vx, double dt)
    {
        var s = new ParticleState { Px = px, Vx = vx };
        s.Mass = 2;
        for (int k = 0; k < 3; k++)
        {
            s.Px += s.Vx * dt;
            s.Vx -= 0.5 * s.Px * dt / s.Mass;
        }

        ParticleState copy = s;
        copy.Px *= 2;
        return copy.Px * s.Px + s.Vx;
    }
}

public static partial class TupleCode
{
    private static (double Mean, double Sd) Moments(double[] v)
    {
        double m = 0;
        foreach (double x in v)
        {
            m += x;
        }

        m /= v.Length;
        double s = 0;
        foreach (double x in v)
        {
            s += (x - m) * (x - m);
        }

        return (m, Math.Sqrt(s / v.Length));
    }

    /// <summary>A helper returning a named tuple, deconstruction into new and existing locals, a swap.</summary>
    [Differentiable]
    public static double ZScoreOfLast(double[] v)
    {
        var (mean, sd) = Moments(v);
        var moments = Moments(v);
        double a = v[0], b = v[1];
        (a, b) = (b, a);
        (double scaled, int repeats) = (a * 2, 3);
        return ((v[v.Length - 1] - mean) / sd) + (moments.Sd * moments.Item1) + a - b + (scaled * repeats);
    }
}

public static partial class TupleCode
{
    /// <summary>A differentiated value swapped into a parameter that is not differentiated (it carries an adjoint all the same).</summary>
    [Differentiable(nameof(x))]
    public static double SwapIntoConstant(double x, double y)
    {
        for (int i = 0; i < 3; i++)
        {
            (x, y) = (y * Math.Sin(x), x);
        }

        return x * y;
    }
}

/// <summary>System.Numerics vectors as game and physics code uses them.</summary>
public static partial class NumericsCode
{
    /// <summary>A spring between two points pulled toward a target, in float as System.Numerics is.</summary>
    [Differentiable]
    public static float SpringEnergy(float ax, float ay, float az, float bx, float by, float bz)
    {
        var a = new System.Numerics.Vector3(ax, ay, az);
        var b = new System.Numerics.Vector3(bx, by, bz);
        System.Numerics.Vector3 d = b - a;
        float stretch = d.Length() - 1.5f;
        System.Numerics.Vector3 mid = 0.5f * (a + b);
        System.Numerics.Vector3 n = System.Numerics.Vector3.Normalize(System.Numerics.Vector3.Cross(a, b));
        return 2f * stretch * stretch + System.Numerics.Vector3.Dot(mid, n) + System.Numerics.Vector3.DistanceSquared(a, System.Numerics.Vector3.One) + (-mid).X;
    }
}

public static partial class ParamsCode
{
    private static double Hypot(params double[] values)
    {
        double s = 0;
        foreach (double v in values)
        {
            s += v * v;
        }

        return Math.Sqrt(s);
    }

    /// <summary>params on the method itself and on a helper called inside a loop.</summary>
    [Differentiable]
    public static double PathLength(params double[] xy)
    {
        double total = 0;
        for (int i = 2; i + 1 < xy.Length; i += 2)
        {
            total += Hypot(xy[i] - xy[i - 2], xy[i + 1] - xy[i - 1]);
        }

        return total + Hypot(xy[0], xy[1], 1.0);
    }
}

/// <summary>Data as an array of arrays (<c>double[][] xs</c>, one row per sample), read every way people read it.</summary>
public static partial class JaggedData
{
    /// <summary>Mean squared error of a linear model, the sample read as xs[i][j].</summary>
    [Differentiable(nameof(w))]
    public static double Indexed(ReadOnlySpan<double> w, double[][] xs, double[] ys)
    {
        double loss = 0;
        for (int i = 0; i < xs.Length; i++)
        {
            double z = 0;
            for (int j = 0; j < xs[i].Length; j++)
            {
                z += w[j] * xs[i][j];
            }

            double e = z - ys[i];
            loss += e * e;
        }

        return loss / xs.Length;
    }

    /// <summary>A tanh unit, the sample held in a local inside the loop.</summary>
    [Differentiable]
    public static double RowLocal(ReadOnlySpan<double> w, double[][] xs, double[] ys)
    {
        double loss = 0;
        for (int i = 0; i < xs.Length; i++)
        {
            double[] x = xs[i];
            double z = w[^1];
            for (int j = 0; j < x.Length; j++)
            {
                z += w[j] * x[j];
            }

            double e = Math.Tanh(z) - ys[i];
            loss += e * e;
        }

        return loss;
    }

    /// <summary>The samples in a list of arrays, a sample held in a local and read directly.</summary>
    [Differentiable(nameof(w))]
    public static double ListOfRows(ReadOnlySpan<double> w, System.Collections.Generic.List<double[]> samples)
    {
        double loss = 0;
        for (int i = 0; i < samples.Count; i++)
        {
            double[] x = samples[i];
            double z = 0;
            for (int j = 0; j < x.Length; j++)
            {
                z += w[j] * x[j] * samples[i][j];
            }

            loss += Math.Sqrt(1 + (z * z));
        }

        return loss;
    }

    /// <summary>Logistic loss over foreach of the rows and of a row's values.</summary>
    [Differentiable(nameof(w))]
    public static double ForEachRow(ReadOnlySpan<double> w, double[][] xs, int[] labels)
    {
        double loss = 0;
        int i = 0;
        foreach (double[] x in xs)
        {
            double z = 0;
            int j = 0;
            foreach (double v in x)
            {
                z += w[j++] * v;
            }

            loss += Math.Log(1 + Math.Exp(labels[i++] == 1 ? -z : z));
        }

        return loss;
    }
}

/// <summary>Helpers that create and return a vector (a layer's output, a softmax), called at the top level.</summary>
public sealed partial class VectorHelpers
{
    private readonly double _scale;

    public VectorHelpers(double scale) => _scale = scale;

    private static double[] Dense(double[] w, double[] b, double[] x, bool tanh)
    {
        int n = b.Length;
        var y = new double[n];
        var sums = new double[n];
        for (int o = 0; o < n; o++)
        {
            double s = b[o];
            for (int i = 0; i < x.Length; i++)
            {
                s += w[(o * x.Length) + i] * x[i];
            }

            sums[o] = s;
        }

        for (int o = 0; o < n; o++)
        {
            y[o] = tanh ? Math.Tanh(sums[o]) : sums[o];
        }

        return y;
    }

    private static double[] Softmax(double[] z)
    {
        var e = new double[z.Length];
        double max = z[0];
        for (int i = 1; i < z.Length; i++)
        {
            max = Math.Max(max, z[i]);
        }

        double sum = 0;
        for (int i = 0; i < z.Length; i++)
        {
            e[i] = Math.Exp(z[i] - max);
            sum += e[i];
        }

        for (int i = 0; i < z.Length; i++)
        {
            e[i] /= sum;
        }

        return e;
    }

    /// <summary>A helper that calls a helper returning a vector, and one that reads the object's state.</summary>
    private static double[] Doubled(double[] w, double[] b, double[] x)
    {
        double[] h = Dense(w, b, x, true);
        var r = new double[h.Length];
        for (int i = 0; i < h.Length; i++)
        {
            r[i] = 2 * h[i];
        }

        return r;
    }

    private double[] Scaled(double[] v)
    {
        var r = new double[v.Length];
        for (int i = 0; i < v.Length; i++)
        {
            r[i] = _scale * v[i];
        }

        return r;
    }

    /// <summary>Cross-entropy of a two-layer network (4 → 5 → 3) written with vector helpers.</summary>
    [Differentiable(nameof(w1), nameof(b1), nameof(w2), nameof(b2))]
    public double Loss(double[] w1, double[] b1, double[] w2, double[] b2, double[] x, int label)
    {
        var h = Dense(w1, b1, x, tanh: true);
        double[] scaled = Scaled(h);
        double[] z = Dense(w2, b2, scaled, tanh: false);
        double[] p = Softmax(z);
        double[] d = Doubled(w1, b1, x);
        return -Math.Log(p[label]) + (0.01 * d[0] * d[1]);
    }

    private static float[] Squares(ReadOnlySpan<float> w)
    {
        float[] r = new float[w.Length];
        for (int i = 0; i < w.Length; i++)
        {
            r[i] = w[i] * w[i];
        }

        return r;
    }

    /// <summary>Σ wᵢ², the squares from a helper into a span.</summary>
    [Differentiable]
    public static float SumOfSquares(float[] w)
    {
        Span<float> squares = Squares(w);
        float s = 0;
        for (int i = 0; i < squares.Length; i++)
        {
            s += squares[i];
        }

        return s;
    }
}

/// <summary>Weights as an array of arrays (<c>double[][] w</c>, one row per unit), differentiated when named.</summary>
public static partial class JaggedWeights
{
    /// <summary>Σ tanh(wᵢ·x + bᵢ) with the weights read as w[i][j], and a ragged second array read through row locals.</summary>
    [Differentiable(nameof(w), nameof(b), nameof(v))]
    public static double Layer(double[][] w, double[] b, double[][] v, double[] x)
    {
        double s = 0;
        for (int i = 0; i < w.Length; i++)
        {
            double z = b[i];
            for (int j = 0; j < w[i].Length; j++)
            {
                z += w[i][j] * x[j];
            }

            s += Math.Tanh(z);
        }

        for (int i = 0; i < v.Length; i++)
        {
            double[] row = v[i];
            double t = 0;
            for (int j = 0; j < row.Length; j++)
            {
                t += row[j] * row[j] * (j + 1);
            }

            s += Math.Sqrt(1 + t);
        }

        foreach (double[] row in v)
        {
            s += Dot(row, x) * row[^1];
        }

        return s;
    }

    private static double Dot(double[] a, double[] b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++)
        {
            s += a[i] * b[i];
        }

        return s;
    }

    /// <summary>Σ sin(wᵢ·x) over rows of any lengths, with its pushforward.</summary>
    [Differentiable(nameof(w), Generate = Derivatives.Reverse | Derivatives.Forward)]
    public static double Waves(double[][] w, double[] x)
    {
        double s = 0;
        foreach (double[] row in w)
        {
            double z = 0;
            for (int j = 0; j < row.Length; j++)
            {
                z += row[j] * x[j];
            }

            s += Math.Sin(z);
        }

        return s + (w[0][^1] * w[1][0]);
    }

    private static double SumOfSquares(double[][] m)
    {
        double s = 0;
        foreach (double[] row in m)
        {
            foreach (double v in row)
            {
                s += v * v;
            }
        }

        return s;
    }

    /// <summary>The whole array of arrays handed to a helper (a penalty), and a row to another.</summary>
    [Differentiable(nameof(w))]
    public static double Penalised(double[][] w, double[] x) => Math.Log(1 + SumOfSquares(w)) + Dot(w[1], x);

    /// <summary>float rows.</summary>
    [Differentiable(nameof(w))]
    public static float Squares(float[][] w)
    {
        float s = 0;
        foreach (float[] row in w)
        {
            for (int j = 0; j < row.Length; j++)
            {
                s += row[j] * row[j];
            }
        }

        return s;
    }
}

/// <summary>A network object whose weights are fields and a property holding arrays of arrays.</summary>
public sealed partial class JaggedNetwork
{
    public double[][] W { get; set; } = [];

    public double[] B = [];

    public double[][] V = [];

    /// <summary>(V₀·tanh(W x + B) − y)², differentiated with respect to the object's weights.</summary>
    [Differentiable(nameof(W), nameof(B), nameof(V))]
    public double Loss(double[] x, double y)
    {
        var h = new double[W.Length];
        for (int i = 0; i < W.Length; i++)
        {
            double z = B[i];
            for (int j = 0; j < x.Length; j++)
            {
                z += W[i][j] * x[j];
            }

            h[i] = Math.Tanh(z);
        }

        double o = 0;
        for (int i = 0; i < h.Length; i++)
        {
            o += V[0][i] * h[i];
        }

        return (o - y) * (o - y);
    }
}

/// <summary>Scratch reset and filled the ways the framework offers, between uses whose values the gradient needs.</summary>
public static partial class ClearAndFill
{
    [Differentiable(nameof(v))]
    public static double Reset(double[] v)
    {
        var a = new double[v.Length];
        Span<double> t = stackalloc double[v.Length];
        double s = 0;
        for (int i = 0; i < a.Length; i++)
        {
            a[i] = v[i] * v[i];
            t[i] = Math.Sin(v[i]);
        }

        for (int i = 0; i < a.Length; i++)
        {
            s += a[i] > 0.3 ? a[i] * t[i] : -a[i];
        }

        Array.Clear(a);
        a[1] = v[0] * 3;
        Array.Clear(a, 2, 1);
        t.Fill(v[2]);
        s += a[0] + a[1] + a[2] + a[3] + (t[0] * t[3]);
        a.AsSpan().Clear();
        Array.Fill(a, 0.5 * v[3]);
        Array.Fill(a, 1.0, 0, 2);
        t.Clear();
        return s + (a[0] * a[3]) + a[1] + t[1];
    }
}

/// <summary>A helper returning a tuple, handed part of a vector.</summary>
public static partial class TupleOfSlice
{
    private static (double Mean, double Variance) Stats(ReadOnlySpan<double> x)
    {
        double m = 0;
        foreach (double v in x)
        {
            m += v;
        }

        m /= x.Length;
        double s = 0;
        foreach (double v in x)
        {
            s += (v - m) * (v - m);
        }

        return (m, s / x.Length);
    }

    [Differentiable]
    public static double Standardised(double[] x)
    {
        var (mean, variance) = Stats(x.AsSpan(1));
        (double head, double spread) = Stats(x[..3]);
        return ((x[0] - mean) / Math.Sqrt(variance + 1e-3)) + (head * spread);
    }
}

/// <summary>Rows of data read in a loop that runs in two sweeps (its body reads a vector whose adjoint flows back after it).</summary>
public static partial class DataRowsTwoSweeps
{
    private static double[] Hidden(double[] w, double[] x, int rows)
    {
        var y = new double[rows];
        for (int r = 0; r < rows; r++)
        {
            double s = 0;
            for (int c = 0; c < x.Length; c++)
            {
                s += w[(r * x.Length) + c] * x[c];
            }

            y[r] = Math.Tanh(s);
        }

        return y;
    }

    [Differentiable(nameof(w), Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.HessianVectorProduct)]
    public static double Loss(double[] w, double[] x, double[][] data)
    {
        double[] h = Hidden(w, x, 2);
        double s = 0;
        for (int i = 0; i < data.Length; i++)
        {
            double[] row = data[i];
            s += (h[i % 2] * row[0]) + (data[i][1] * h[0] * h[1]);
        }

        return s + (w[^1] * h[1]);
    }
}

/// <summary>
/// A network object as people write one: a Forward helper that allocates its layers' outputs, a per-sample loss that
/// calls it, and a batch loss over rows of data that calls the per-sample loss (so the allocations run in a loop).
/// </summary>
public sealed partial class SampleLoopNetwork
{
    private const int Inputs = 3, Hidden = 4, Outputs = 2;

    public double[] W1 = new double[Hidden * Inputs];

    public double[] B1 = new double[Hidden];

    public double[] W2 = new double[Outputs * Hidden];

    public double[] B2 = new double[Outputs];

    private double[] Forward(double[] x)
    {
        var h = new double[Hidden];
        for (int j = 0; j < Hidden; j++)
        {
            double s = B1[j];
            for (int i = 0; i < Inputs; i++)
            {
                s += W1[(j * Inputs) + i] * x[i];
            }

            h[j] = Math.Tanh(s);
        }

        var o = new double[Outputs];
        for (int k = 0; k < Outputs; k++)
        {
            double s = B2[k];
            for (int j = 0; j < Hidden; j++)
            {
                s += W2[(k * Hidden) + j] * h[j];
            }

            o[k] = s;
        }

        return o;
    }

    [Differentiable(nameof(W1), nameof(B1), nameof(W2), nameof(B2))]
    public double Loss(double[] x, int label)
    {
        double[] o = Forward(x);
        double m = Math.Max(o[0], o[1]);
        return m + Math.Log(Math.Exp(o[0] - m) + Math.Exp(o[1] - m)) - o[label];
    }

    [Differentiable(nameof(W1), nameof(B1), nameof(W2), nameof(B2))]
    public double BatchLoss(double[][] xs, int[] labels)
    {
        double total = 0;
        for (int n = 0; n < xs.Length; n++)
        {
            total += Loss(xs[n], labels[n]);
        }

        return total / xs.Length;
    }
}

/// <summary>
/// Samples held as tuples, the way a data loader hands them out: a list deconstructed in foreach, an array indexed and
/// its members read (<c>batch[b].X</c>); the per-sample loss keeps its logits in a stackalloc'd buffer.
/// </summary>
public sealed partial class TupleBatchNetwork
{
    private const int Inputs = 3;

    public double[] W = new double[2 * Inputs];

    public double[] Bias = new double[2];

    public double Temperature { get; set; } = 1.5;

    [Differentiable(nameof(W), nameof(Bias), Generate = Derivatives.Reverse | Derivatives.Forward)]
    public double Loss(double[] x, int label)
    {
        Span<double> z = stackalloc double[2];
        for (int o = 0; o < 2; o++)
        {
            double a = Bias[o];
            for (int i = 0; i < Inputs; i++)
            {
                a += W[(o * Inputs) + i] * x[i];
            }

            z[o] = Math.Tanh(a) / Temperature;
        }

        double m = Math.Max(z[0], z[1]);
        return m + Math.Log(Math.Exp(z[0] - m) + Math.Exp(z[1] - m)) - z[label];
    }

    [Differentiable(nameof(W), nameof(Bias), Generate = Derivatives.Reverse | Derivatives.Forward)]
    public double ListLoss(List<(double[] Features, int Label)> batch)
    {
        double total = 0;
        foreach (var (features, label) in batch)
        {
            total += Loss(features, label);
        }

        return total / batch.Count;
    }

    [Differentiable(nameof(W), nameof(Bias), Generate = Derivatives.Reverse | Derivatives.Forward)]
    public double ArrayLoss((double[] Features, int Label)[] batch, double[] weights)
    {
        double total = 0;
        for (int b = 0; b < batch.Length; b++)
        {
            double[] x = batch[b].Features;
            total += weights[b] * Loss(x, batch[b].Label) * Loss(batch[b].Features, 1 - batch[b].Label);
        }

        return total;
    }
}

/// <summary>
/// A line fitted to points held as positional records, deconstructed in foreach (one member discarded); and to samples
/// held in a list of record structs or handed over as a sequence (<c>IEnumerable&lt;T&gt;</c>, a LINQ query).
/// </summary>
public static partial class RecordFit
{
    public readonly record struct Point(double X, double Y, string Name);

    public readonly record struct Sample(double X, double Y);

    [Differentiable(nameof(slope), nameof(intercept))]
    public static double ListLoss(double slope, double intercept, List<Sample> samples)
    {
        double s = 0;
        foreach (Sample sample in samples)
        {
            double r = (slope * sample.X) + intercept - sample.Y;
            s += Math.Log(1 + (r * r));
        }

        return s;
    }

    [Differentiable(nameof(slope), nameof(intercept), Generate = Derivatives.Reverse | Derivatives.Forward)]
    public static double SequenceLoss(double slope, double intercept, IEnumerable<Sample> samples)
    {
        double s = 0;
        foreach (var sample in samples)
        {
            double r = (slope * sample.X) + intercept - sample.Y;
            s = Math.Sqrt((s * s) + (r * r));
        }

        return s;
    }

    [Differentiable(nameof(w))]
    public static double SequenceOfRows(double[] w, IEnumerable<(double[] Features, double Target)> rows)
    {
        double s = 0;
        foreach (var (x, y) in rows)
        {
            double z = 0;
            for (int i = 0; i < x.Length; i++)
            {
                z += w[i] * x[i];
            }

            s += (Math.Tanh(z) - y) * (Math.Tanh(z) - y);
        }

        return s;
    }

    [Differentiable(nameof(slope), nameof(intercept))]
    public static double Loss(double slope, double intercept, Point[] points)
    {
        double s = 0;
        foreach (var (x, y, _) in points)
        {
            double r = (slope * x) + intercept - y;
            s += Math.Log(1 + (r * r));
        }

        return s;
    }
}

/// <summary>
/// Measurements held as an array of tuples of numbers (a parameter the method only reads): <c>samples[i].T</c> is read
/// where it is used, in a gradient and in the residuals of a vector function.
/// </summary>
public static partial class TupleSamples
{
    [Differentiable(nameof(p), Generate = Derivatives.Reverse | Derivatives.Forward)]
    public static double Fit(ReadOnlySpan<double> p, (double T, double Y)[] samples)
    {
        double s = 0;
        for (int i = 0; i < samples.Length; i++)
        {
            double r = (p[0] * Math.Exp(-p[1] * samples[i].T)) - samples[i].Y;
            s += r * r;
        }

        return s;
    }

    [Differentiable(nameof(p), Generate = Derivatives.Jacobian)]
    public static void Residuals(ReadOnlySpan<double> p, (double T, double Y)[] samples, [Output] Span<double> r)
    {
        for (int i = 0; i < samples.Length; i++)
        {
            double t = samples[i].T;
            r[i] = (p[0] * Math.Exp(-p[1] * t)) + (p[2] * Math.Cos(t) / (1 + t)) - samples[i].Y;
        }
    }
}

/// <summary>A batch held in a struct and a data set held in a class, their arrays read in the loops (fields never written).</summary>
public static partial class HeldData
{
    public struct Batch
    {
        public double[] X;
        public int[] Y;
        public int Features;
    }

    public sealed class Dataset
    {
        public double[][] Rows { get; set; } = Array.Empty<double[]>();

        public double[] Targets = Array.Empty<double>();
    }

    [Differentiable(nameof(w))]
    public static double Logistic(double[] w, Batch batch)
    {
        double s = 0;
        int n = batch.Y.Length;
        for (int i = 0; i < n; i++)
        {
            double z = 0;
            for (int j = 0; j < batch.Features; j++)
            {
                z += w[j] * batch.X[(i * batch.Features) + j];
            }

            s += batch.Y[i] == 1 ? Math.Log(1 + Math.Exp(-z)) : Math.Log(1 + Math.Exp(z));
        }

        return s / n;
    }

    [Differentiable(nameof(w))]
    public static double Squares(double[] w, Dataset data)
    {
        double s = 0;
        for (int i = 0; i < data.Rows.Length; i++)
        {
            double[] x = data.Rows[i];
            double z = 0;
            for (int j = 0; j < x.Length; j++)
            {
                z += w[j] * x[j];
            }

            double r = Math.Tanh(z) - data.Targets[i];
            s += r * r;
        }

        return s;
    }
}

/// <summary>Helpers that compute their output's size in a local before allocating it, called in a loop.</summary>
public static partial class SizedInHelpers
{
    private static double[] Upsample(double[] x)
    {
        int n = x.Length * 2;
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            y[i] = x[i / 2] * (i + 1);
        }

        return y;
    }

    private static double[] Relu(double[] z)
    {
        int n = z.Length;
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            y[i] = Math.Max(0, z[i]) + (0.01 * Math.Min(0, z[i]));
        }

        return y;
    }

    [Differentiable]
    public static double Repeated(double[] x)
    {
        double s = 0;
        for (int k = 0; k < 3; k++)
        {
            double[] up = Upsample(x);
            double[] r = Relu(up);
            s += (up[3] * up[0]) + (r[1] * (k + 1)) + r[^1];
        }

        return s;
    }
}
