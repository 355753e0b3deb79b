using System;
using BenchmarkDotNet.Attributes;

namespace DiffGen.Benchmarks.UserLoops;

/// <summary>
/// ADBench's GMM objective at d = 10, K = 25, n = 1000 (Wishart γ = 1, m = 0, as in ADBench's data), double, written
/// with loops and scratch vectors (<see cref="GmmLoop.Objective"/>): primal, generated gradient with respect to alphas,
/// means and icf, hand-written gradient. Gradients accumulate (not zeroed per call).
/// </summary>
[MemoryDiagnoser]
public class LoopGmmBenchmarks : ISmokeCheck
{
    public const int D = 10, K = 25, N = 1000;
    private Instance _instance = new([], [], [], [], 1, 0);
    private double[] _dalphas = [], _dmeans = [], _dicf = [];

    [GlobalSetup]
    public void Setup()
    {
        _instance = Instance.Random(D, K, N, 1, 0, new Random(17));
        _dalphas = new double[K];
        _dmeans = new double[K * D];
        _dicf = new double[_instance.Icf.Length];
    }

    [Benchmark]
    public double Primal() => _instance.Objective();

    [Benchmark]
    public double Generated() =>
        GmmLoop.ObjectiveGradient(_instance.Alphas, _instance.Means, _instance.Icf, _instance.X, _instance.Gamma, _instance.M, _dalphas, _dmeans, _dicf);

    [Benchmark(Baseline = true)]
    public double HandWrittenGradient() =>
        GmmLoopHandWritten.ObjectiveGradient(_instance.Alphas, _instance.Means, _instance.Icf, _instance.X, _instance.Gamma, _instance.M, _dalphas, _dmeans, _dicf);

    /// <summary>
    /// The generated value equal to the user's (DESIGN.md §4: bit for bit); generated vs hand-written at the
    /// benchmark's size and at d = 3, K = 4, n = 20 with γ = 1.5, m = 2 (1e-9 relative to max(1, |·|)); the
    /// hand-written objective equal to the user's; the hand-written gradient at the small size vs central differences
    /// on the user's function (1e-6, every parameter); 0 B per call.
    /// </summary>
    public string? Check() =>
        Compare(_instance, "GMM loop")
        ?? Compare(Instance.Random(3, 4, 20, 1.5, 2, new Random(18)), "GMM loop, small", finiteDifferences: true)
        ?? HandWritten.NoAllocation("GmmLoop.ObjectiveGradient", () => Generated())
        ?? HandWritten.NoAllocation("GmmLoopHandWritten.ObjectiveGradient", () => HandWrittenGradient());

    private static string? Compare(Instance p, string what, bool finiteDifferences = false)
    {
        double[] ga = new double[p.Alphas.Length], gm = new double[p.Means.Length], gi = new double[p.Icf.Length];
        double[] ha = new double[p.Alphas.Length], hm = new double[p.Means.Length], hi = new double[p.Icf.Length];
        double value = GmmLoop.ObjectiveGradient(p.Alphas, p.Means, p.Icf, p.X, p.Gamma, p.M, ga, gm, gi);
        double expected = GmmLoopHandWritten.ObjectiveGradient(p.Alphas, p.Means, p.Icf, p.X, p.Gamma, p.M, ha, hm, hi);
        return HandWritten.Agree<double>($"{what}: objective", [value], [expected], 1e-9)
            ?? HandWritten.Agree<double>($"{what}: hand-written objective vs the user's", [expected], [p.Objective()], 0)
            ?? HandWritten.Agree<double>($"{what}: generated objective vs the user's", [value], [p.Objective()], 0)
            ?? HandWritten.Agree<double>($"{what}: dalphas", ga, ha, 1e-9)
            ?? HandWritten.Agree<double>($"{what}: dmeans", gm, hm, 1e-9)
            ?? HandWritten.Agree<double>($"{what}: dicf", gi, hi, 1e-9)
            ?? (finiteDifferences
                ? FiniteDifferences.Agree($"{what}: dalphas", p.Alphas, ha, p.Objective, 1e-6, int.MaxValue)
                    ?? FiniteDifferences.Agree($"{what}: dmeans", p.Means, hm, p.Objective, 1e-6, int.MaxValue)
                    ?? FiniteDifferences.Agree($"{what}: dicf", p.Icf, hi, p.Objective, 1e-6, int.MaxValue)
                : null);
    }

    /// <summary>
    /// One problem: alphas uniform in (−1, 1), means in (0, 1), icf in (−1, 1), points in (−1, 1) (ADBench draws some
    /// of these from normals; the shape of the computation is what matters here).
    /// </summary>
    private sealed record Instance(double[] Alphas, double[] Means, double[] Icf, double[] X, double Gamma, int M)
    {
        public static Instance Random(int d, int k, int n, double gamma, int m, Random random) => new(
            HandWritten.Fill<double>(random, k),
            HandWritten.Fill<double>(random, k * d, 0, 1),
            HandWritten.Fill<double>(random, k * d * (d + 1) / 2),
            HandWritten.Fill<double>(random, n * d),
            gamma,
            m);

        public double Objective() => GmmLoop.Objective(Alphas, Means, Icf, X, Gamma, M);
    }
}
