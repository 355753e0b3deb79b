using System;

namespace DiffGen.Data;

/// <summary>Images read from an IDX file: <see cref="Count"/> row-major images of <see cref="Rows"/> × <see cref="Columns"/> pixels in [0, 1].</summary>
public sealed class IdxImages
{
    /// <summary>Wraps normalised pixels (not copied).</summary>
    /// <param name="pixels">count × rows × columns values in [0, 1], image after image, each row-major.</param>
    /// <param name="count">The number of images, not negative.</param>
    /// <param name="rows">The height of an image, positive.</param>
    /// <param name="columns">The width of an image, positive.</param>
    /// <exception cref="ArgumentException">The pixel count disagrees with the dimensions.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is out of range.</exception>
    public IdxImages(float[] pixels, int count, int rows, int columns)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        if ((long)count * rows * columns != pixels.Length)
        {
            throw new ArgumentException(
                $"pixels has {pixels.Length} values but count × rows × columns = {count} × {rows} × {columns} = {(long)count * rows * columns}.",
                nameof(pixels));
        }

        Pixels = pixels;
        Count = count;
        Rows = rows;
        Columns = columns;
    }

    /// <summary>Every pixel, normalised to [0, 1] (byte / 255), image after image.</summary>
    public float[] Pixels { get; }

    /// <summary>The number of images.</summary>
    public int Count { get; }

    /// <summary>The height of each image.</summary>
    public int Rows { get; }

    /// <summary>The width of each image.</summary>
    public int Columns { get; }

    /// <summary>Rows × columns: the feature count of one image.</summary>
    public int PixelsPerImage => Rows * Columns;

    /// <summary>The pixels of image <paramref name="index"/>.</summary>
    /// <param name="index">The image, in [0, <see cref="Count"/>).</param>
    /// <returns><see cref="PixelsPerImage"/> values.</returns>
    public ReadOnlySpan<float> GetImage(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
        return Pixels.AsSpan(index * PixelsPerImage, PixelsPerImage);
    }

    /// <summary>The pixels as bytes, round(clamp(p, 0, 1) · 255): the exact inverse of the reader's normalisation.</summary>
    /// <returns>A new array.</returns>
    public byte[] ToBytes()
    {
        var bytes = new byte[Pixels.Length];
        for (int i = 0; i < bytes.Length; i++)
        {
            float p = Pixels[i];
            bytes[i] = (byte)MathF.Round(float.IsNaN(p) ? 0f : Math.Clamp(p, 0f, 1f) * 255f);
        }

        return bytes;
    }
}
