using System;
using DiffGen.GradBench.Evals;
using DiffGen.GradBench.HandWritten;
using Xunit;
using static DiffGen.GradBench.Tests.FiniteDifferences;

namespace DiffGen.GradBench.Tests;

/// <summary>
/// The scalar evals' generated gradients (hello, llsq, lse, ode, det, gmm, lstm, kmeans' cost) against central
/// differences of the user's [Differentiable] function (relative 1e-6 unless stated) and against the hand-written
/// gradient (1e-9), whose value must equal the user's function.
/// </summary>
public class ScalarEvalTests
{
    [Theory]
    [InlineData(0.0)]
    [InlineData(-2.5)]
    [InlineData(3.0)]
    public void HelloDoubleIsTheDerivativeOfSquare(double x)
    {
        double generated = 0, handWritten = 0;
        Assert.Equal(x * x, Hello.SquareGradient(x, ref generated));
        Assert.Equal(x * x, SimpleHandWritten.SquareGradient(x, ref handWritten));
        Assert.Equal(2 * x, generated);
        Assert.Equal(2 * x, handWritten);
    }

    [Theory]
    [InlineData(16, 8)]
    [InlineData(5, 3)]
    [InlineData(33, 1)]
    public void Llsq(int n, int m)
    {
        var random = new Random(n * 31 + m);
        double[] x = Inputs.Uniform(random, m);
        double[] generated = new double[m], handWritten = new double[m];
        double value = Evals.Llsq.PrimalGradient(x, n, generated);
        Assert.Equal(Evals.Llsq.Primal(x, n), value);
        Assert.Equal(value, SimpleHandWritten.LlsqGradient(x, n, handWritten), 12);
        AssertAgrees("llsq", Gradient(x, () => Evals.Llsq.Primal(x, n)), generated, 1e-6);
        AssertClose("llsq hand-written", generated, handWritten, 1e-9);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(200)]
    public void Lse(int n)
    {
        var random = new Random(n);
        double[] x = Inputs.Uniform(random, n, -100, 100);
        double[] generated = new double[n], handWritten = new double[n];
        double value = Evals.Lse.PrimalGradient(x, generated);
        Assert.Equal(Evals.Lse.Primal(x), value);
        Assert.Equal(value, SimpleHandWritten.LseGradient(x, handWritten));
        AssertAgrees("lse", Gradient(x, () => Evals.Lse.Primal(x)), generated, 1e-6);
        AssertClose("lse hand-written", generated, handWritten, 1e-9);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(10, 1)]
    [InlineData(10, 10)]
    [InlineData(40, 3)]
    public void Ode(int n, int s)
    {
        var random = new Random(n * 7 + s);
        double[] x = Inputs.Uniform(random, n, 0.5, 2);
        double[] y = new double[n], k1 = new double[n], k2 = new double[n], k3 = new double[n], k4 = new double[n], stage = new double[n];
        double[] generated = new double[n], handWritten = new double[n], yHandWritten = new double[n];
        double value = Evals.Ode.LastGradient(x, s, y, k1, k2, k3, k4, stage, generated);
        Assert.Equal(Evals.Ode.Last(x, s, y, k1, k2, k3, k4, stage), value);
        Assert.Equal(value, SimpleHandWritten.OdeGradient(x, s, yHandWritten, handWritten));
        Assert.Equal(y, yHandWritten);
        AssertAgrees("ode", Gradient(x, () => Evals.Ode.Last(x, s, y, k1, k2, k3, k4, stage)), generated, 1e-6);
        AssertClose("ode hand-written", generated, handWritten, 1e-9);
    }

    [Fact]
    public void OdeSolvesTheLinearChainExactlyForOneComponent()
    {
        // y₀' = x₀ from 0: y₀(2) = 2x₀ exactly, whatever the steps (RK4 integrates constants exactly).
        double[] x = [0.75];
        double[] y = new double[1], k1 = new double[1], k2 = new double[1], k3 = new double[1], k4 = new double[1], stage = new double[1];
        Assert.Equal(1.5, Evals.Ode.Last(x, 4, y, k1, k2, k3, k4, stage), 14);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(6)]
    public void Det(int ell)
    {
        var random = new Random(ell);
        double[] a = Inputs.Uniform(random, ell * ell);
        double[] generated = new double[a.Length], handWritten = new double[a.Length];
        double value = Evals.Det.PrimalGradient(a, ell, generated);
        Assert.Equal(Evals.Det.Primal(a, ell), value);
        Assert.Equal(value, SimpleHandWritten.DetGradient(a, ell, handWritten), 12);
        AssertAgrees("det", Gradient(a, () => Evals.Det.Primal(a, ell)), generated, 1e-6);
        AssertClose("det hand-written", generated, handWritten, 1e-9);
    }

    [Fact]
    public void DetByMinorsIsTheDeterminant()
    {
        // A permutation matrix with one transposition and a scaled identity: −1 and 2·3·4.
        Assert.Equal(-1, Evals.Det.Primal([0, 1, 0, 1, 0, 0, 0, 0, 1], 3));
        Assert.Equal(24, Evals.Det.Primal([2, 0, 0, 0, 3, 0, 0, 0, 4], 3));
        Assert.Equal(1 * 4 - 2 * 3, Evals.Det.Primal([1, 2, 3, 4], 2));
    }

    [Theory]
    [InlineData(2, 3, 20, 0, 1.0)]
    [InlineData(4, 2, 15, 2, 1.5)]
    [InlineData(1, 3, 10, 1, 0.7)]
    public void Gmm(int d, int k, int n, int m, double gamma)
    {
        var random = new Random(d * 100 + k);
        double[] alpha = Inputs.Uniform(random, k, -1, 1), mu = Inputs.Uniform(random, k * d), q = Inputs.Uniform(random, k * d, -1, 1);
        double[] l = Inputs.Uniform(random, k * d * (d - 1) / 2, -1, 1), x = Inputs.Uniform(random, n * d, -1, 1);
        double[] diagonal = new double[k * d], sumQ = new double[k], centred = new double[d], transformed = new double[d], beta = new double[k];
        double Objective() => Evals.Gmm.Objective(alpha, mu, q, l, x, gamma, m, diagonal, sumQ, centred, transformed, beta);

        double[] da = new double[k], dm = new double[mu.Length], dq = new double[q.Length], dl = new double[l.Length];
        double[] ha = new double[k], hm = new double[mu.Length], hq = new double[q.Length], hl = new double[l.Length];
        double value = Evals.Gmm.ObjectiveGradient(alpha, mu, q, l, x, gamma, m, diagonal, sumQ, centred, transformed, beta, da, dm, dq, dl);
        Assert.Equal(Objective(), value);
        Assert.Equal(value, GmmHandWritten.ObjectiveGradient(alpha, mu, q, l, x, gamma, m, ha, hm, hq, hl), 9);
        AssertAgrees("gmm alpha", Gradient(alpha, Objective), da, 1e-6);
        AssertAgrees("gmm mu", Gradient(mu, Objective), dm, 1e-6);
        AssertAgrees("gmm q", Gradient(q, Objective), dq, 1e-6);
        AssertAgrees("gmm l", Gradient(l, Objective), dl, 1e-6);
        AssertClose("gmm alpha hand-written", da, ha, 1e-9);
        AssertClose("gmm mu hand-written", dm, hm, 1e-9);
        AssertClose("gmm q hand-written", dq, hq, 1e-9);
        AssertClose("gmm l hand-written", dl, hl, 1e-9);
    }

    [Fact]
    public void GmmWithOneComponentInOneDimensionIsTheGaussianLogDensityPlusTheWishartPrior()
    {
        // K = 1, D = 1: log N(x; μ, 1/e^{2q}) summed over the points, plus log W(e^{2q}; V = 1/γ², n = m + 2).
        double mu = 0.3, q = 0.2, gamma = 1.5;
        int m = 1;
        double[] x = [0.1, -0.4, 0.9];
        double precision = Math.Exp(2 * q);
        double expected = 0;
        foreach (double xi in x)
        {
            expected += 0.5 * Math.Log(precision / (2 * Math.PI)) - 0.5 * precision * (xi - mu) * (xi - mu);
        }

        // Wishart density in one dimension: X^{(n−2)/2} exp(−γ²X/2) / (2^{n/2} (1/γ²)^{n/2} Γ(n/2)), with Γ(3/2) = √π/2.
        int wishartN = m + 2;
        expected += (wishartN - 2) / 2.0 * Math.Log(precision) - gamma * gamma * precision / 2 - wishartN / 2.0 * Math.Log(2)
            + wishartN * Math.Log(gamma) - Math.Log(Math.Sqrt(Math.PI) / 2);
        double value = Evals.Gmm.Objective([0.4], [mu], [q], [], x, gamma, m, new double[1], new double[1], new double[1], new double[1], new double[1]);
        Assert.Equal(expected, value, 12);
    }

    [Theory]
    [InlineData(1, 6, 3)]
    [InlineData(2, 5, 4)]
    [InlineData(3, 4, 2)]
    public void Lstm(int layers, int c, int b)
    {
        var random = new Random(layers * 10 + c);
        double[] main = Inputs.Uniform(random, 8 * b * layers), extra = Inputs.Uniform(random, 3 * b), state = Inputs.Uniform(random, 2 * b * layers);
        double[] sequence = new double[c * b];
        for (int i = 0; i < sequence.Length; i++)
        {
            sequence[i] = random.Next(2);
        }

        double[] hidden = new double[state.Length], prediction = new double[b];
        double Objective() => Evals.Lstm.Objective(main, extra, state, sequence, layers, hidden, prediction);
        double[] dm = new double[main.Length], de = new double[extra.Length], hm = new double[main.Length], he = new double[extra.Length];
        double value = Evals.Lstm.ObjectiveGradient(main, extra, state, sequence, layers, hidden, prediction, dm, de);
        Assert.Equal(Objective(), value);
        Assert.Equal(value, LstmHandWritten.ObjectiveGradient(main, extra, state, sequence, layers, hm, he));
        AssertAgrees("lstm main", Gradient(main, Objective), dm, 1e-6);
        AssertAgrees("lstm extra", Gradient(extra, Objective), de, 1e-6);
        AssertClose("lstm main hand-written", dm, hm, 1e-9);
        AssertClose("lstm extra hand-written", de, he, 1e-9);
    }

    [Theory]
    [InlineData(3, 20, 2)]
    [InlineData(5, 40, 4)]
    public void KmeansCost(int k, int n, int d)
    {
        var random = new Random(k * n + d);
        double[] points = Inputs.Uniform(random, n * d);
        double[] centroids = points.AsSpan((n - k) * d).ToArray();
        for (int i = 0; i < centroids.Length; i++)
        {
            centroids[i] += 0.01 * (random.NextDouble() - 0.5);
        }

        double[] generated = new double[centroids.Length], handWritten = new double[centroids.Length];
        double value = Kmeans.CostGradient(points, centroids, d, generated);
        Assert.Equal(Kmeans.Cost(points, centroids, d), value);
        Assert.Equal(value, KmeansHandWritten.CostGradient(points, centroids, d, handWritten));
        AssertAgrees("kmeans cost", Gradient(centroids, () => Kmeans.Cost(points, centroids, d)), generated, 1e-6);
        AssertClose("kmeans cost hand-written", generated, handWritten, 1e-9);
    }
}
