using System;

namespace DiffGen.IntegrationTests;

/// <summary>Recursive [Differentiable] methods, written as people write them.</summary>
public static partial class RecursionFunctions
{
    /// <summary>Determinant by expansion by minors: the sub-minor's seed is known before the call (value and pullback in one).</summary>
    [Differentiable(nameof(a))]
    public static double Determinant(ReadOnlySpan<double> a, int n) => Minor(a, n, 0, 0);

    [Differentiable(nameof(a))]
    public static double Minor(ReadOnlySpan<double> a, int n, int row, int used)
    {
        if (row == n - 1)
        {
            int last = 0;
            while ((used & (1 << last)) != 0)
            {
                last++;
            }

            return a[row * n + last];
        }

        double det = 0;
        double sign = 1;
        for (int c = 0; c < n; c++)
        {
            if ((used & (1 << c)) != 0)
            {
                continue;
            }

            det += sign * (a[row * n + c] * Minor(a, n, row + 1, used | (1 << c)));
            sign = -sign;
        }

        return det;
    }

    /// <summary>How many times <see cref="CountedMinor"/>'s body ran.</summary>
    public static long Evaluations { get; set; }

    /// <summary><see cref="Minor"/>, counting its evaluations.</summary>
    [Differentiable(nameof(a))]
    public static double CountedMinor(ReadOnlySpan<double> a, int n, int row, int used)
    {
        Count();
        if (row == n - 1)
        {
            int last = 0;
            while ((used & (1 << last)) != 0)
            {
                last++;
            }

            return a[row * n + last];
        }

        double det = 0;
        double sign = 1;
        for (int c = 0; c < n; c++)
        {
            if ((used & (1 << c)) != 0)
            {
                continue;
            }

            det += sign * (a[row * n + c] * CountedMinor(a, n, row + 1, used | (1 << c)));
            sign = -sign;
        }

        return det;
    }

    [NoDerivative]
    private static void Count() => Evaluations++;

    /// <summary>The base case in a branch of ?: (the call is evaluated only when taken).</summary>
    [Differentiable]
    public static double Halve(double x) => Math.Abs(x) < 1 ? x * x : Halve(x / 2) + Math.Sin(x);

    /// <summary>Exponentiation by squaring: the seed of the half power needs its value (call, then pullback).</summary>
    [Differentiable(nameof(x))]
    public static double Power(double x, int n) => n == 0 ? 1 : n % 2 == 0 ? Square(Power(x, n / 2)) : x * Power(x, n - 1);

    private static double Square(double v) => v * v;

    /// <summary>Two recursive calls, one whose seed needs the other's value and one whose does not, with a vector too.</summary>
    [Differentiable(Generate = Derivatives.Reverse | Derivatives.Forward)]
    public static double Chain(ReadOnlySpan<double> w, double x, int n)
    {
        if (n < 2)
        {
            return w[0] * x * x + w[1];
        }

        return Math.Sin(Chain(w, x, n - 1)) + w[n % w.Length] * Chain(w, 0.5 * x, n - 2);
    }

    /// <summary>A tree of sums over a segment [lo, hi): halves until one element (divide and conquer).</summary>
    [Differentiable(nameof(v))]
    public static double TreeSoftPlus(ReadOnlySpan<double> v, int lo, int hi)
    {
        if (hi - lo == 1)
        {
            return Math.Log(1 + Math.Exp(v[lo]));
        }

        int mid = (lo + hi) / 2;
        double left = TreeSoftPlus(v, lo, mid);
        double right = TreeSoftPlus(v, mid, hi);
        return left + 2 * right;
    }

    /// <summary>Recursion through an inlined helper that calls the method back.</summary>
    [Differentiable]
    public static double Mutual(double x, int n) => n <= 0 ? Math.Exp(x) : Step(x, n);

    private static double Step(double x, int n)
    {
        double y = Math.Cos(x);
        return y * Mutual(x + y, n - 1);
    }

    /// <summary>Mutual recursion between two [Differentiable] methods: each calls the other's pullback.</summary>
    [Differentiable]
    public static double Even(double x, int n) => n == 0 ? Math.Cos(x) : x * Odd(x, n - 1);

    [Differentiable]
    public static double Odd(double x, int n) => n == 0 ? Math.Sin(x) : Even(0.5 * x, n - 1) + x;

    /// <summary>A switch expression whose arms recurse (each arm's call runs only when its arm is taken).</summary>
    [Differentiable]
    public static double SwitchArms(double x, int n) => n switch
    {
        0 => x,
        1 => Math.Sin(x),
        _ => (SwitchArms(x, n - 1) * SwitchArms(x, n - 2)) + x,
    };

    /// <summary>Relational arms without a discard.</summary>
    [Differentiable]
    public static double RelationalArms(double x, int n) => n switch
    {
        <= 0 => x * x,
        > 0 => RelationalArms(0.5 * x, n - 1) + Math.Exp(0.1 * x),
    };

    /// <summary>Tail recursion in float.</summary>
    [Differentiable]
    public static float Tail(float x, int n) => n <= 0 ? x : Tail(MathF.Sin(x) + (0.5f * x), n - 1);

    /// <summary>A binary tree of values: both subtrees' results feed a non-linear combination.</summary>
    [Differentiable(nameof(w))]
    public static double Tree(double[] w, int node, int depth)
    {
        if (depth == 0)
        {
            return w[node];
        }

        double left = Tree(w, (2 * node) + 1, depth - 1);
        double right = Tree(w, (2 * node) + 2, depth - 1);
        return left + (0.5 * right) + (w[node] * Math.Tanh(left - right));
    }
}
