using System;

namespace DiffGen.Layers;

/// <summary>Argument checks and the output-size formula the layer geometries share.</summary>
internal static class Geometry
{
    public static int Positive(int value, string name) =>
        value > 0 ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be positive.");

    public static int NotNegative(int value, string name) =>
        value >= 0 ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must not be negative.");

    /// <summary>⌊(size + 2·padding − kernel) / stride⌋ + 1, as PyTorch computes it (no ceil mode, dilation 1).</summary>
    public static int OutputSize(int size, int kernel, int stride, int padding, string name)
    {
        int padded = size + 2 * padding;
        if (padded < kernel)
        {
            throw new ArgumentOutOfRangeException(name, size, $"{name} + 2·padding = {padded} is smaller than the kernel ({kernel}).");
        }

        return (padded - kernel) / stride + 1;
    }
}
