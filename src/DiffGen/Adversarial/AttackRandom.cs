using System;

namespace DiffGen.Adversarial;

/// <summary>
/// A small seeded generator (SplitMix64) for random starts: allocation-free, and the same uniform bits on every platform
/// and runtime version (unlike <see cref="Random"/>, whose seeded algorithm is an implementation detail). Gaussian samples
/// go through <see cref="Math.Log(double)"/> and <see cref="Math.Cos"/>, which may differ in the last bit between platforms.
/// </summary>
internal struct AttackRandom
{
    private ulong _state;

    public AttackRandom(ulong seed) => _state = seed;

    public ulong NextUInt64()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1) with 24 random bits.</summary>
    public float NextSingle() => (NextUInt64() >> 40) * (1f / (1 << 24));

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A standard normal sample (Box–Muller; the second value is discarded to keep no state).</summary>
    public double NextGaussian()
    {
        double u1 = 1.0 - NextDouble(); // (0, 1]: log is finite
        double u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
