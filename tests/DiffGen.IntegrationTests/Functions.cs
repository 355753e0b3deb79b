using System;
using DiffGen;

namespace DiffGen.IntegrationTests;

/// <summary>User-style functions: each is compiled with the generator by this project and checked in GradientTests.</summary>
public static partial class Functions
{
    [Differentiable(Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]
    public static double Rosenbrock(double x, double y) => (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x);

    [Differentiable(Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]
    public static double Polynomial(double x) => 3 * x * x * x - 2 * x * x + x - 5;

    [Differentiable(Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]
    public static double Quotient(double x, double y) => (x * y + 1) / (x * x + y * y + 1);

    [Differentiable(Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]
    public static double ExpLog(double x) => Math.Exp(Math.Sin(x)) + Math.Log(1 + x * x);

    [Differentiable(Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]
    public static double Trig(double x, double y) => Math.Sin(x) * Math.Cos(y) + Math.Tan(0.3 * x);

    [Differentiable(Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]
    public static double Hyperbolic(double x) => Math.Tanh(x) + Math.Sinh(0.5 * x) - Math.Cosh(0.25 * x);

    [Differentiable(Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]
    public static double Roots(double x) => Math.Sqrt(1 + x * x) + Math.Cbrt(2 + x * x);

    [Differentiable(Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]
    public static double Powers(double x, double y) => Math.Pow(1 + x * x, 1.5) + Math.Pow(2 + Math.Sin(y), x);

    /// <summary>Inverse hyperbolic functions and a logarithm in a base that is itself differentiated.</summary>
    [Differentiable(Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]
    public static double InverseHyperbolic(double x, double y) =>
        Math.Asinh(x * y) + Math.Acosh(2 + (x * x)) + Math.Atanh(0.5 * Math.Tanh(y)) + Math.Log(2 + (x * x), 3 + (y * y));

    /// <summary>Products in which a factor repeats: a cube, a repeated factor among others, a repeated sum, a scaled square.</summary>
    [Differentiable(Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]
    public static double RepeatedFactors(double x, double y, double z)
    {
        double u = 0.5 * x - y;
        double cube = u * u * u;
        return cube + x * y * x * z + (x + z) * (x + z) * (x + z) * (x + z) - 3 * y * z * z + x * x * x * x * x;
    }

    [Differentiable(Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]
    public static double InverseTrig(double x) =>
        Math.Atan(x) + Math.Asin(0.5 * Math.Tanh(x)) + Math.Acos(0.3 * Math.Sin(x)) + Math.Atan2(x, 2);

    [Differentiable(Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]
    public static double Atan2Both(double x, double y) => Math.Atan2(y, x + 3);

    [Differentiable(Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]
    public static double Logs(double x) => Math.Log2(2 + x * x) + Math.Log10(3 + x * x);

    [Differentiable(Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]
    public static double NonSmooth(double x, double y) =>
        Math.Abs(x) + Math.Max(x, y) - Math.Min(x * y, 1) + Math.Clamp(x, -0.5, 0.5) + Math.Floor(3 * y);

    [Differentiable(Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]
    public static double Fma(double x, double y, double z) => Math.FusedMultiplyAdd(x, y, z * z);

    [Differentiable(Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]
    public static double Ternary(double x, double y) => x > y ? x * x : y * Math.Exp(x);

    [Differentiable(Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]
    public static double IfElse(double x)
    {
        double r;
        if (x > 0)
        {
            r = x * x;
        }
        else
        {
            r = -x * x * x;
        }

        return r + 1;
    }

    [Differentiable(Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]
    public static double NestedIf(double x, double y)
    {
        double r = x;
        if (x > 0)
        {
            if (y > 0)
            {
                r = r * y;
            }
            else
            {
                r = r - y * y;
            }
        }
        else if (y > 0.5)
        {
            r = Math.Sin(r) * y;
        }

        return r * r;
    }

    [Differentiable(Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]
    public static double GenericMath(double x) => double.Exp(0.5 * x) + double.Sqrt(1 + x * x) + double.Sin(x);

    [Differentiable(Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]
    public static float RosenbrockF(float x, float y) => (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x);

    [Differentiable(Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.HessianVectorProduct)]
    public static double MixedPrecision(float x, double y) => (double)(x * x) * y + MathF.Sin(x);

    [Differentiable(nameof(w), Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]
    public static double Dot(ReadOnlySpan<double> w, ReadOnlySpan<double> x)
    {
        double s = 0;
        for (int i = 0; i < w.Length; i++)
        {
            s += w[i] * x[i];
        }

        return s;
    }

    [Differentiable(Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]
    public static double SumSquares(double[] v)
    {
        double s = 0;
        for (int i = 0; i < v.Length; i++)
        {
            s += v[i] * v[i];
        }

        return s;
    }

    [Differentiable(nameof(w), nameof(b), Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]
    [Differentiable(nameof(x), Name = "LogisticInputGradient", Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]
    public static double Logistic(ReadOnlySpan<double> w, double b, ReadOnlySpan<double> x, int label)
    {
        double z = b;
        for (int i = 0; i < w.Length; i++)
        {
            z += w[i] * x[i];
        }

        double p = 1 / (1 + Math.Exp(-z));
        return label == 1 ? -Math.Log(p) : -Math.Log(1 - p);
    }

    [Differentiable(nameof(z), Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]
    public static double SoftmaxCrossEntropy(ReadOnlySpan<double> z, int label)
    {
        double max = z[0];
        for (int i = 1; i < z.Length; i++)
        {
            max = Math.Max(max, z[i]);
        }

        double sum = 0;
        for (int i = 0; i < z.Length; i++)
        {
            sum += Math.Exp(z[i] - max);
        }

        return Math.Log(sum) + max - z[label];
    }

    [Differentiable(Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]
    public static double Horner(ReadOnlySpan<double> c, double x)
    {
        double acc = 0;
        for (int i = c.Length - 1; i >= 0; i--)
        {
            acc = acc * x + c[i];
        }

        return acc;
    }

    [Differentiable(Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]
    public static double Product(ReadOnlySpan<double> v)
    {
        double p = 1;
        foreach (double e in v)
        {
            p = p * (1 + e * e);
        }

        return p;
    }

    [Differentiable(Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]
    public static double WhileLoop(double x)
    {
        int k = 0;
        double s = x;
        while (s < 10 && k < 20)
        {
            s = s * 1.5 + 0.1 * Math.Sin(s);
            k++;
        }

        return s;
    }

    [Differentiable(Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]
    public static double BreakLoop(ReadOnlySpan<double> v)
    {
        double s = 0;
        for (int i = 0; i < v.Length; i++)
        {
            s += v[i] * v[i];
            if (s > 2)
            {
                break;
            }

            s = s * 1.1;
        }

        return s;
    }

    [Differentiable(Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]
    public static double ContinueLoop(ReadOnlySpan<double> v)
    {
        double s = 0;
        for (int i = 0; i < v.Length; i++)
        {
            if (v[i] < 0)
            {
                continue;
            }

            s = s + Math.Exp(v[i]) * s + v[i];
        }

        return s;
    }

    [Differentiable(Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]
    public static double EarlyReturn(double x, ReadOnlySpan<double> v)
    {
        if (x > 1.2)
        {
            return x * x;
        }

        double s = x;
        for (int i = 0; i < v.Length; i++)
        {
            s = s * v[i] + 1;
            if (s > 3)
            {
                return s * 2;
            }
        }

        return s - x;
    }

    [Differentiable(Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]
    public static double Foreach(double[] v)
    {
        double s = 0;
        foreach (double e in v)
        {
            s += Math.Sin(e) * e;
        }

        return s;
    }

    [Differentiable(nameof(a), nameof(x), Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]
    public static double QuadraticForm(ReadOnlySpan<double> a, ReadOnlySpan<double> x, int n)
    {
        double s = 0;
        for (int i = 0; i < n; i++)
        {
            double row = 0;
            for (int j = 0; j < n; j++)
            {
                row += a[i * n + j] * x[j];
            }

            s += x[i] * row;
        }

        return s;
    }

    [Differentiable(Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]
    public static double LocalArray(ReadOnlySpan<double> v)
    {
        double[] t = new double[v.Length];
        for (int i = 0; i < v.Length; i++)
        {
            t[i] = v[i] * v[i];
        }

        double s = 0;
        for (int i = 0; i < v.Length; i++)
        {
            s += t[i] * t[(i + 1) % v.Length];
        }

        return s;
    }

    [Differentiable(Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]
    public static double PrefixSums(ReadOnlySpan<double> v)
    {
        Span<double> prefix = stackalloc double[v.Length];
        prefix[0] = v[0];
        for (int i = 1; i < v.Length; i++)
        {
            prefix[i] = prefix[i - 1] + v[i];
        }

        double s = 0;
        for (int i = 0; i < v.Length; i++)
        {
            s += prefix[i] * prefix[i];
        }

        return s;
    }

    [Differentiable(Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]
    public static double ElementOverwrite(ReadOnlySpan<double> v)
    {
        double[] t = new double[2];
        t[0] = v[0];
        t[0] = t[0] * v[1] + Math.Sin(t[0]);
        t[1] = t[0] * t[0];
        t[0] = t[1] - v[0];
        return t[0] * t[1];
    }

    [Differentiable(Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]
    public static double LocalFunction(double x, double y)
    {
        double Square(double a) => a * a;
        return Square(x) + Square(x * y) + Square(Square(y));
    }

    [Differentiable(Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]
    public static double LocalFunctionWithLoop(ReadOnlySpan<double> v, double x)
    {
        double Power(double b, int n)
        {
            double r = 1;
            for (int i = 0; i < n; i++)
            {
                r = r * b;
            }

            return r;
        }

        double s = 0;
        for (int i = 0; i < v.Length; i++)
        {
            s += v[i] * Power(x, i);
        }

        return s;
    }

    [Differentiable(Generate = Derivatives.Reverse | Derivatives.Forward)]
    public static double CallsOther(double x, double y) => 2 * Rosenbrock(x, y) + Polynomial(x) * y;

    [Differentiable(Generate = Derivatives.Reverse | Derivatives.Forward)]
    public static double CallsWithSpans(ReadOnlySpan<double> w, ReadOnlySpan<double> x)
    {
        double d = DotBoth(w, x);
        return d * d + SumSquaresSpan(w);
    }

    [Differentiable(Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]
    public static double DotBoth(ReadOnlySpan<double> w, ReadOnlySpan<double> x)
    {
        double s = 0;
        for (int i = 0; i < w.Length; i++)
        {
            s += w[i] * x[i];
        }

        return s;
    }

    [Differentiable(Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]
    public static double SumSquaresSpan(ReadOnlySpan<double> v)
    {
        double s = 0;
        foreach (double e in v)
        {
            s += e * e;
        }

        return s;
    }

    [Differentiable(Generate = Derivatives.Reverse | Derivatives.Forward)]
    public static double CallInLoop(ReadOnlySpan<double> v)
    {
        double s = 0;
        for (int i = 0; i + 1 < v.Length; i++)
        {
            double r = Rosenbrock(v[i], v[i + 1]);
            s += r;
        }

        return s;
    }

    [Differentiable(nameof(a), nameof(c), Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]
    public static double WrtSubset(double a, double b, double c) => a * b * c + Math.Exp(a - c) * b;

    [Differentiable(nameof(x), Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]
    public static double ConstantParameters(double x, int n, bool flag)
    {
        double s = 0;
        for (int i = 1; i <= n; i++)
        {
            s += flag ? Math.Pow(x, i) / i : -x * i;
        }

        return s;
    }

    [Differentiable(Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]
    public static double CompoundAssignments(double x)
    {
        double t = x;
        t += 1;
        t *= x;
        t -= 2;
        t /= 1 + x * x;
        t++;
        return t;
    }

    [Differentiable(nameof(x), Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]
    public static double ReassignedConstantParameter(double x, double scale)
    {
        scale = scale * 2 + 1;
        return x * scale + Math.Sin(x * scale);
    }

    [Differentiable(Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]
    public static double Mse(ReadOnlySpan<double> prediction, ReadOnlySpan<double> target)
    {
        double s = 0;
        for (int i = 0; i < prediction.Length; i++)
        {
            double d = prediction[i] - target[i];
            s += d * d;
        }

        return s / prediction.Length;
    }

    [Differentiable(nameof(w1), nameof(b1), nameof(w2), nameof(b2), Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]
    public static double TinyMlp(ReadOnlySpan<double> w1, ReadOnlySpan<double> b1, ReadOnlySpan<double> w2, double b2, ReadOnlySpan<double> x, double y)
    {
        int hidden = b1.Length;
        int inputs = x.Length;
        double output = b2;
        for (int h = 0; h < hidden; h++)
        {
            double z = b1[h];
            for (int i = 0; i < inputs; i++)
            {
                z += w1[h * inputs + i] * x[i];
            }

            output += w2[h] * Math.Tanh(z);
        }

        double err = output - y;
        return 0.5 * err * err;
    }

    [Differentiable(Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]
    public static double LogSumExp(ReadOnlySpan<double> v)
    {
        double max = double.NegativeInfinity;
        foreach (double e in v)
        {
            if (e > max)
            {
                max = e;
            }
        }

        double s = 0;
        foreach (double e in v)
        {
            s += Math.Exp(e - max);
        }

        return max + Math.Log(s);
    }

    [Differentiable(Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]
    public static double NestedBreakContinue(ReadOnlySpan<double> v)
    {
        double s = 0;
        for (int i = 0; i < v.Length; i++)
        {
            double inner = 1;
            for (int j = 0; j < v.Length; j++)
            {
                if (j == i)
                {
                    continue;
                }

                inner = inner * (1 + 0.1 * v[j]);
                if (inner > 1.5)
                {
                    break;
                }
            }

            s += inner * v[i];
        }

        return s;
    }

    [Differentiable(Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]
    public static double ReturnFromNestedLoop(ReadOnlySpan<double> v)
    {
        double s = 0;
        for (int i = 0; i < v.Length; i++)
        {
            for (int j = 0; j < v.Length; j++)
            {
                s = s + v[i] * v[j];
                if (s > 4)
                {
                    return Math.Sqrt(s);
                }
            }
        }

        return s;
    }

    [Differentiable(Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]
    public static float FloatLoop(ReadOnlySpan<float> v, float x)
    {
        float s = 0;
        for (int i = 0; i < v.Length; i++)
        {
            s = s * x + MathF.Exp(-v[i] * v[i]);
        }

        return s;
    }

    [Differentiable(Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]
    public static double StopGradientProduct(double x) => x * Gradient.StopGradient(x);

    [Differentiable(Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]
    public static double Softplus(ReadOnlySpan<double> v)
    {
        double s = 0;
        int i = 0;
        while (i < v.Length)
        {
            s += v[i] > 0 ? v[i] + Math.Log(1 + Math.Exp(-v[i])) : Math.Log(1 + Math.Exp(v[i]));
            i++;
        }

        return s;
    }

    [Differentiable(Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.HessianVectorProduct)]
    public static double ConstantsAndCasts(double x, float y)
    {
        const double Half = 0.5;
        double t = Half * x * Math.PI;
        float u = (float)t * y;
        int n = (int)(x * 10);
        return u + t * y + n;
    }

    [Differentiable(Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]
    public static double RecurrentState(ReadOnlySpan<double> inputs, double weight, double recurrent)
    {
        double h = 0;
        double loss = 0;
        for (int t = 0; t < inputs.Length; t++)
        {
            h = Math.Tanh(weight * inputs[t] + recurrent * h);
            loss += (h - 0.5) * (h - 0.5);
        }

        return loss;
    }

    internal static partial class Nested
    {
        [Differentiable(Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]
        internal static double Inner(double x) => x * Math.Exp(-x * x);
    }
}

/// <summary>Overloads of one [Differentiable(Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)] name: each gets its own generated file and gradient overload.</summary>
public static partial class Overloads
{
    [Differentiable(Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]
    public static double Square(double x) => x * x;

    [Differentiable(Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]
    public static float Square(float x) => x * x * 1.5f;
}
