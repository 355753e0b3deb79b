using System;
using BenchmarkDotNet.Attributes;

namespace DiffGen.Benchmarks.UserLoops;

/// <summary>
/// ADBench's bundle-adjustment reprojection error summed over 5 000 observations of 1 000 points by 10 cameras, double,
/// written as one loop (<see cref="BundleAdjustmentLoop.ReprojectionError"/>): primal, generated gradient with respect
/// to cameras and points, hand-written gradient. Camera 0 has rotation exactly 0, so both Rodrigues branches run.
/// Gradients accumulate (not zeroed per call).
/// </summary>
[MemoryDiagnoser]
public class LoopBundleAdjustmentBenchmarks : ISmokeCheck
{
    public const int Cameras = 10, Points = 1000, Observations = 5000;
    private Instance _instance = new([], [], [], [], []);
    private double[] _dcameras = [], _dpoints = [];

    [GlobalSetup]
    public void Setup()
    {
        _instance = Instance.Random(Cameras, Points, Observations, new Random(20));
        _dcameras = new double[_instance.Cameras.Length];
        _dpoints = new double[_instance.Points.Length];
    }

    [Benchmark]
    public double Primal() => _instance.Error();

    [Benchmark]
    public double Generated() =>
        BundleAdjustmentLoop.ReprojectionErrorGradient(_instance.Cameras, _instance.Points, _instance.Weights, _instance.Observations, _instance.Features, _dcameras, _dpoints);

    [Benchmark(Baseline = true)]
    public double HandWrittenGradient() =>
        BundleAdjustmentLoopHandWritten.ReprojectionErrorGradient(_instance.Cameras, _instance.Points, _instance.Weights, _instance.Observations, _instance.Features, _dcameras, _dpoints);

    /// <summary>
    /// The generated value equal to the user's (DESIGN.md §4: bit for bit); generated vs hand-written at the
    /// benchmark's size and at 2 cameras, 20 points, 40 observations (1e-10 relative to max(1, |·|)); the hand-written
    /// error equal to the user's; the hand-written gradient at the small size vs central differences on the user's
    /// function (1e-6, every parameter; the small size keeps the error sum, and so the differences' rounding, small); 0
    /// B per call.
    /// </summary>
    public string? Check() =>
        Compare(_instance, "BA loop")
        ?? Compare(Instance.Random(2, 20, 40, new Random(21)), "BA loop, small", finiteDifferences: true)
        ?? HandWritten.NoAllocation("BundleAdjustmentLoop.ReprojectionErrorGradient", () => Generated())
        ?? HandWritten.NoAllocation("BundleAdjustmentLoopHandWritten.ReprojectionErrorGradient", () => HandWrittenGradient());

    private static string? Compare(Instance p, string what, bool finiteDifferences = false)
    {
        double[] gc = new double[p.Cameras.Length], gp = new double[p.Points.Length];
        double[] hc = new double[p.Cameras.Length], hp = new double[p.Points.Length];
        double value = BundleAdjustmentLoop.ReprojectionErrorGradient(p.Cameras, p.Points, p.Weights, p.Observations, p.Features, gc, gp);
        double expected = BundleAdjustmentLoopHandWritten.ReprojectionErrorGradient(p.Cameras, p.Points, p.Weights, p.Observations, p.Features, hc, hp);
        return HandWritten.Agree<double>($"{what}: error", [value], [expected], 1e-10)
            ?? HandWritten.Agree<double>($"{what}: hand-written error vs the user's", [expected], [p.Error()], 0)
            ?? HandWritten.Agree<double>($"{what}: generated error vs the user's", [value], [p.Error()], 0)
            ?? HandWritten.Agree<double>($"{what}: dcameras", gc, hc, 1e-10)
            ?? HandWritten.Agree<double>($"{what}: dpoints", gp, hp, 1e-10)
            ?? (finiteDifferences
                ? FiniteDifferences.Agree($"{what}: dcameras", p.Cameras, hc, p.Error, 1e-6, int.MaxValue)
                    ?? FiniteDifferences.Agree($"{what}: dpoints", p.Points, hp, p.Error, 1e-6, int.MaxValue)
                : null);
    }

    /// <summary>
    /// Cameras about 5–6 units in front of points in [−1, 1]³, rotations up to 0.3 rad per axis (camera 0: none), f in
    /// [400, 600], small distortion; each point seen by random cameras, features uniform in [−200, 200], weights in
    /// [0.5, 1.5].
    /// </summary>
    private sealed record Instance(double[] Cameras, double[] Points, double[] Weights, int[] Observations, double[] Features)
    {
        public static Instance Random(int cameras, int points, int observations, Random random)
        {
            var camera = new double[cameras * BundleAdjustmentLoop.CameraParameters];
            for (int c = 0; c < cameras; c++)
            {
                Span<double> p = camera.AsSpan(c * BundleAdjustmentLoop.CameraParameters, BundleAdjustmentLoop.CameraParameters);
                double rotation = c == 0 ? 0 : 0.3;
                double[] values =
                [
                    Uniform(random, rotation), Uniform(random, rotation), Uniform(random, rotation),
                    Uniform(random, 1), Uniform(random, 1), -5.5 + Uniform(random, 0.5),
                    500 + Uniform(random, 100), Uniform(random, 10), Uniform(random, 10),
                    Uniform(random, 0.05), Uniform(random, 0.01),
                ];
                values.CopyTo(p);
            }

            var observed = new int[2 * observations];
            for (int o = 0; o < observations; o++)
            {
                observed[2 * o] = random.Next(cameras);
                observed[2 * o + 1] = o % points;
            }

            return new(
                camera,
                HandWritten.Fill<double>(random, 3 * points),
                HandWritten.Fill<double>(random, observations, 0.5, 1.5),
                observed,
                HandWritten.Fill<double>(random, 2 * observations, -200, 200));
        }

        public double Error() => BundleAdjustmentLoop.ReprojectionError(Cameras, Points, Weights, Observations, Features);

        private static double Uniform(Random random, double halfWidth) => halfWidth * (2 * random.NextDouble() - 1);
    }
}
