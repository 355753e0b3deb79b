using System;
using Xunit;
using static DiffGen.IntegrationTests.GradientCheck;

namespace DiffGen.IntegrationTests.Corpus;

/// <summary>
/// The real-code corpus (issue #13 item 9): numeric C# of the kinds found in open-source code, written in its usual style
/// (static helpers, objects with fields, LINQ, switch, do/while, const locals), each only annotated with [Differentiable]
/// and checked against central finite differences (tolerance in <see cref="GradientCheck"/>; the value must be the
/// function's bit for bit).
/// </summary>
public class CorpusTests
{
    private static double Positive(Random r, int i) => 0.6 + (r.NextDouble() * 3);

    [Fact]
    public void LogGamma() => Check(x => SpecialFunctions.LogGamma(x[0]), (x, g) => SpecialFunctions.LogGammaGradient(x[0], ref g[0]), 1, sample: Positive);

    [Fact]
    public void Erf() => Check(x => SpecialFunctions.Erf(x[0]), (x, g) => SpecialFunctions.ErfGradient(x[0], ref g[0]), 1);

    [Fact]
    public void Digamma() => Check(x => SpecialFunctions.Digamma(x[0]), (x, g) => SpecialFunctions.DigammaGradient(x[0], ref g[0]), 1, sample: Positive);

    [Fact]
    public void LogSumExp() => Check(x => SpecialFunctions.LogSumExp(x), (x, g) => SpecialFunctions.LogSumExpGradient(x, g), 5);

    [Fact]
    public void StudentTLogPdf() =>
        Check(
            x => SpecialFunctions.StudentTLogPdf(x[0], x[1], 0.3, 1.7),
            (x, g) => SpecialFunctions.StudentTLogPdfGradient(x[0], x[1], 0.3, 1.7, ref g[0], ref g[1]),
            2,
            sample: (r, i) => i == 0 ? (r.NextDouble() * 4) - 2 : 1.5 + (r.NextDouble() * 5));

    [Fact]
    public void WeightedVariance()
    {
        double[] weights = { 0.5, 1.0, 2.0, 0.25, 1.5 };
        Check(x => Statistics.WeightedVariance(x, weights), (x, g) => Statistics.WeightedVarianceGradient(x, weights, g), 5);
    }

    [Fact]
    public void Correlation() =>
        Check(x => Statistics.Correlation(x[..5], x[5..]), (x, g) => Split(g, 5, (da, db) => Statistics.CorrelationGradient(x[..5], x[5..], da, db)), 10);

    [Fact]
    public void NormalNegativeLogLikelihood()
    {
        double[] data = { 0.3, -1.2, 2.5, 0.9, 1.1, -0.4 };
        Check(x => Statistics.NormalNegativeLogLikelihood(x[0], x[1], data), (x, g) => Statistics.NormalNegativeLogLikelihoodGradient(x[0], x[1], data, ref g[0], ref g[1]), 2);
    }

    [Fact]
    public void Huber() => Check(x => Statistics.Huber(x, 0.8), (x, g) => Statistics.HuberGradient(x, 0.8, g), 6);

    [Fact]
    public void Euclidean() =>
        Check(x => Distances.Euclidean(x[..3], x[3..]), (x, g) => Split(g, 3, (da, db) => Distances.EuclideanGradient(x[..3], x[3..], da, db)), 6);

    [Fact]
    public void MahalanobisDiagonal()
    {
        double[] mean = { 0.1, -0.3, 0.7 }, variance = { 0.5, 2.0, 1.3 };
        Check(x => Distances.MahalanobisDiagonal(x, mean, variance), (x, g) => Distances.MahalanobisDiagonalGradient(x, mean, variance, g), 3);
    }

    [Fact]
    public void Haversine() =>
        Check(
            x => Distances.Haversine(x[0], x[1], x[2], x[3]),
            (x, g) => Distances.HaversineGradient(x[0], x[1], x[2], x[3], ref g[0], ref g[1], ref g[2], ref g[3]),
            4,
            sample: (r, _) => (r.NextDouble() * 120) - 60);

    [Fact]
    public void CosineDistance() =>
        Check(x => Distances.CosineDistance(x[..4], x[4..]), (x, g) => Split(g, 4, (da, db) => Distances.CosineDistanceGradient(x[..4], x[4..], da, db)), 8);

    [Fact]
    public void Rosenbrock() => Check(x => TestFunctions.Rosenbrock(x), (x, g) => TestFunctions.RosenbrockGradient(x, g), 5);

    [Fact]
    public void Rastrigin() => Check(x => TestFunctions.Rastrigin(x), (x, g) => TestFunctions.RastriginGradient(x, g), 4);

    [Fact]
    public void Ackley() => Check(x => TestFunctions.Ackley(x), (x, g) => TestFunctions.AckleyGradient(x, g), 4);

    [Fact]
    public void Beale() => Check(x => TestFunctions.Beale(x[0], x[1]), (x, g) => TestFunctions.BealeGradient(x[0], x[1], ref g[0], ref g[1]), 2);

    [Fact]
    public void Himmelblau() => Check(x => TestFunctions.Himmelblau(x[0], x[1]), (x, g) => TestFunctions.HimmelblauGradient(x[0], x[1], ref g[0], ref g[1]), 2);

    [Fact]
    public void StyblinskiTang() => Check(x => TestFunctions.StyblinskiTang(x), (x, g) => TestFunctions.StyblinskiTangGradient(x, g), 4);

    [Fact]
    public void SpringChain()
    {
        var chain = new SpringChain(4.0, 0.8);
        Check(x => chain.Energy(x), (x, g) => chain.EnergyGradient(x, g), 8);
    }

    [Fact]
    public void NBodyPotential()
    {
        var bodies = new NBody(new[] { 1.0, 2.5, 0.7, 1.3 }) { G = 0.5 };
        Check(x => bodies.PotentialEnergy(x), (x, g) => bodies.PotentialEnergyGradient(x, g), 12);
    }

    [Fact]
    public void Morse() => Check(x => Physics.Morse(x, 1.2, 1.5, 0.9), (x, g) => Physics.MorseGradient(x, 1.2, 1.5, 0.9, g), 4, sample: (r, i) => (i * 1.1) + (r.NextDouble() * 0.3));

    [Fact]
    public void ProjectileRange() =>
        Check(
            x => Physics.ProjectileRange(x[0], x[1], 0.01, 0.01),
            (x, g) => Physics.ProjectileRangeGradient(x[0], x[1], 0.01, 0.01, ref g[0], ref g[1]),
            2,
            sample: (r, i) => i == 0 ? 10 + (r.NextDouble() * 20) : 0.3 + r.NextDouble(),
            tolerance: 1e-3); // the landing step is discrete: the derivative holds between step-count changes

    [Fact]
    public void BlackScholesCall() =>
        Check(
            x => Finance.BlackScholesCall(x[0], 100, x[1], x[2], 1.5),
            (x, g) => Finance.BlackScholesCallGradient(x[0], 100, x[1], x[2], 1.5, ref g[0], ref g[1], ref g[2]),
            3,
            sample: (r, i) => i switch { 0 => 80 + (r.NextDouble() * 40), 1 => 0.1 + (r.NextDouble() * 0.4), _ => r.NextDouble() * 0.05 });

    [Fact]
    public void BondPrice() =>
        Check(x => Finance.BondPrice(x[0], 0.05, 1000, 10), (x, g) => Finance.BondPriceGradient(x[0], 0.05, 1000, 10, 2, ref g[0]), 1, sample: (r, _) => 0.01 + (r.NextDouble() * 0.08));

    [Fact]
    public void PortfolioVariance()
    {
        double[] covariance = { 0.04, 0.006, 0.002, 0.006, 0.09, 0.01, 0.002, 0.01, 0.0625 };
        Check(x => Finance.PortfolioVariance(x, covariance), (x, g) => Finance.PortfolioVarianceGradient(x, covariance, g), 3);
    }

    [Fact]
    public void AmericanPut() =>
        Check(
            x => Finance.AmericanPut(x[0], 100, x[1], 0.03, 1.0, 25),
            (x, g) => Finance.AmericanPutGradient(x[0], 100, x[1], 0.03, 1.0, 25, ref g[0], ref g[1]),
            2,
            sample: (r, i) => i == 0 ? 85 + (r.NextDouble() * 30) : 0.15 + (r.NextDouble() * 0.3),
            tolerance: 1e-4); // Max(continuation, exercise) has kinks: FD straddles one now and then

    [Fact]
    public void SirInfected() =>
        Check(
            x => Simulations.SirInfected(x[0], x[1], 0.01, 30),
            (x, g) => Simulations.SirInfectedGradient(x[0], x[1], 0.01, 30, 0.1, ref g[0], ref g[1]),
            2,
            sample: (r, i) => i == 0 ? 0.2 + (r.NextDouble() * 0.3) : 0.05 + (r.NextDouble() * 0.1));

    [Fact]
    public void HeatEnergy() => Check(x => Simulations.HeatEnergy(x, 0.2, 7), (x, g) => Simulations.HeatEnergyGradient(x, 0.2, 7, g), 6);

    [Fact]
    public void KalmanLogLikelihood()
    {
        double[] observations = { 0.1, 0.4, 0.35, 0.8, 1.2, 0.9, 1.4 };
        Check(
            x => Simulations.KalmanLogLikelihood(x[0], x[1], observations),
            (x, g) => Simulations.KalmanLogLikelihoodGradient(x[0], x[1], observations, ref g[0], ref g[1]),
            2,
            sample: Positive);
    }

    [Fact]
    public void LogisticMap() =>
        Check(
            x => Simulations.LogisticMap(x[0], x[1], 12),
            (x, g) => Simulations.LogisticMapGradient(x[0], x[1], 12, ref g[0], ref g[1]),
            2,
            sample: (r, i) => i == 0 ? 0.1 + (r.NextDouble() * 0.8) : 2.5 + r.NextDouble());

    [Theory]
    [InlineData(Reduction.Mean)]
    [InlineData(Reduction.Sum)]
    public void SoftmaxCrossEntropy(Reduction reduction)
    {
        int[] labels = { 2, 0, 1 };
        Check(x => Losses.SoftmaxCrossEntropy(x, labels, 4, reduction), (x, g) => Losses.SoftmaxCrossEntropyGradient(x, labels, 4, reduction, g), 12);
    }

    [Fact]
    public void UnknownReductionThrowsAsWritten()
    {
        double[] gradient = new double[4];
        Assert.Throws<ArgumentOutOfRangeException>(() => Losses.SoftmaxCrossEntropyGradient(new double[4], new[] { 0 }, 4, (Reduction)7, gradient));
    }

    /// <summary>A gradient over two arrays written into one vector: the first <paramref name="at"/> entries, then the rest.</summary>
    private static double Split(double[] g, int at, Func<double[], double[], double> gradient)
    {
        double[] a = new double[at], b = new double[g.Length - at];
        double value = gradient(a, b);
        for (int i = 0; i < a.Length; i++)
        {
            g[i] += a[i];
        }

        for (int i = 0; i < b.Length; i++)
        {
            g[at + i] += b[i];
        }

        return value;
    }
}
