using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;
using System.Numerics.Tensors;

namespace DiffGen.Data;

/// <summary>
/// Reads and writes the IDX format of MNIST and Fashion-MNIST: a big-endian header (magic 0x00000803 for u8 images
/// [n, rows, columns], 0x00000801 for u8 labels [n]) followed by the bytes, optionally gzip-compressed (detected by its
/// magic bytes 1f 8b).
/// </summary>
/// <remarks>
/// A truncated, corrupt or inconsistent file throws <see cref="InvalidDataException"/> whose message names the file,
/// what is wrong, and the byte offset (in the decompressed data for gzip) with the expected and actual values.
/// </remarks>
public static class Idx
{
    /// <summary>The magic number of an unsigned-byte, three-dimensional (images) IDX file.</summary>
    public const int ImagesMagic = 0x00000803;

    /// <summary>The magic number of an unsigned-byte, one-dimensional (labels) IDX file.</summary>
    public const int LabelsMagic = 0x00000801;

    private const int ChunkBytes = 1 << 20;

    /// <summary>Reads an images file (raw or gzip).</summary>
    /// <param name="path">The file, e.g. <c>train-images-idx3-ubyte.gz</c>.</param>
    /// <returns>The images with pixels normalised to [0, 1].</returns>
    /// <exception cref="InvalidDataException">The file is not a valid images file (the message says what and where).</exception>
    public static IdxImages ReadImages(string path)
    {
        using FileStream stream = OpenRead(path);
        return ReadImages(stream, path);
    }

    /// <summary>Reads an images file (raw or gzip) from <paramref name="stream"/>, to its end.</summary>
    /// <param name="stream">The data; left open.</param>
    /// <param name="sourceName">The name used in error messages; by default the file name of a <see cref="FileStream"/>.</param>
    /// <returns>The images with pixels normalised to [0, 1].</returns>
    /// <exception cref="InvalidDataException">The data is not a valid images file (the message says what and where).</exception>
    public static IdxImages ReadImages(Stream stream, string? sourceName = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        string source = SourceName(stream, sourceName);
        (byte[] bytes, int[] shape) = ReadPayload(stream, source, ImagesMagic, "images");
        var pixels = new float[bytes.Length];
        TensorPrimitives.ConvertTruncating<byte, float>(bytes, pixels);
        TensorPrimitives.Divide(pixels, 255f, pixels);
        return new IdxImages(pixels, shape[0], shape[1], shape[2]);
    }

    /// <summary>Reads a labels file (raw or gzip).</summary>
    /// <param name="path">The file, e.g. <c>train-labels-idx1-ubyte.gz</c>.</param>
    /// <returns>The labels, each in [0, 255].</returns>
    /// <exception cref="InvalidDataException">The file is not a valid labels file (the message says what and where).</exception>
    public static int[] ReadLabels(string path)
    {
        using FileStream stream = OpenRead(path);
        return ReadLabels(stream, path);
    }

    /// <summary>Reads a labels file (raw or gzip) from <paramref name="stream"/>, to its end.</summary>
    /// <param name="stream">The data; left open.</param>
    /// <param name="sourceName">The name used in error messages; by default the file name of a <see cref="FileStream"/>.</param>
    /// <returns>The labels, each in [0, 255].</returns>
    /// <exception cref="InvalidDataException">The data is not a valid labels file (the message says what and where).</exception>
    public static int[] ReadLabels(Stream stream, string? sourceName = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        string source = SourceName(stream, sourceName);
        (byte[] bytes, _) = ReadPayload(stream, source, LabelsMagic, "labels");
        var labels = new int[bytes.Length];
        for (int i = 0; i < bytes.Length; i++)
        {
            labels[i] = bytes[i];
        }

        return labels;
    }

    /// <summary>Reads an images file and its labels file into a <see cref="Dataset"/> of rows × columns features.</summary>
    /// <param name="imagesPath">The images file (raw or gzip).</param>
    /// <param name="labelsPath">The labels file (raw or gzip).</param>
    /// <param name="classCount">The number of classes; by default the largest label + 1 (10 for MNIST and Fashion-MNIST).</param>
    /// <returns>The dataset, pixels in [0, 1].</returns>
    /// <exception cref="InvalidDataException">
    /// A file is invalid, the two counts differ, or a label is not below <paramref name="classCount"/>.
    /// </exception>
    public static Dataset LoadDataset(string imagesPath, string labelsPath, int? classCount = null)
    {
        IdxImages images = ReadImages(imagesPath);
        int[] labels = ReadLabels(labelsPath);
        if (images.Count != labels.Length)
        {
            throw new InvalidDataException(
                $"{imagesPath} has {images.Count} images but {labelsPath} has {labels.Length} labels: the counts must match.");
        }

        if (classCount is int classes)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classes, nameof(classCount));
            for (int i = 0; i < labels.Length; i++)
            {
                if (labels[i] >= classes)
                {
                    throw new InvalidDataException(
                        $"{labelsPath}: label {labels[i]} of item {i} (byte offset {8 + i}) is not below the class count {classes}.");
                }
            }
        }

        return new Dataset(images.Pixels, labels, images.PixelsPerImage, classCount);
    }

    /// <summary>Writes an images file; gzip-compressed when <paramref name="path"/> ends with <c>.gz</c>.</summary>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="pixels">count × rows × columns bytes, image after image, each row-major.</param>
    /// <param name="count">The number of images.</param>
    /// <param name="rows">The height of an image, positive.</param>
    /// <param name="columns">The width of an image, positive.</param>
    /// <exception cref="ArgumentException">The pixel count disagrees with the dimensions.</exception>
    public static void WriteImages(string path, ReadOnlySpan<byte> pixels, int count, int rows, int columns)
    {
        using Stream stream = OpenWrite(path);
        WriteImages(stream, pixels, count, rows, columns);
    }

    /// <summary>Writes images (converted back to bytes with <see cref="IdxImages.ToBytes"/>); gzip when <paramref name="path"/> ends with <c>.gz</c>.</summary>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="images">The images.</param>
    public static void WriteImages(string path, IdxImages images)
    {
        ArgumentNullException.ThrowIfNull(images);
        WriteImages(path, images.ToBytes(), images.Count, images.Rows, images.Columns);
    }

    /// <summary>Writes an uncompressed images file to <paramref name="stream"/> (wrap it in a <see cref="GZipStream"/> to compress).</summary>
    /// <param name="stream">The destination; left open.</param>
    /// <param name="pixels">count × rows × columns bytes, image after image, each row-major.</param>
    /// <param name="count">The number of images.</param>
    /// <param name="rows">The height of an image, positive.</param>
    /// <param name="columns">The width of an image, positive.</param>
    /// <exception cref="ArgumentException">The pixel count disagrees with the dimensions.</exception>
    public static void WriteImages(Stream stream, ReadOnlySpan<byte> pixels, int count, int rows, int columns)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        if ((long)count * rows * columns != pixels.Length)
        {
            throw new ArgumentException(
                $"pixels has {pixels.Length} bytes but count × rows × columns = {(long)count * rows * columns}.", nameof(pixels));
        }

        Span<byte> header = stackalloc byte[16];
        BinaryPrimitives.WriteInt32BigEndian(header, ImagesMagic);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], count);
        BinaryPrimitives.WriteInt32BigEndian(header[8..], rows);
        BinaryPrimitives.WriteInt32BigEndian(header[12..], columns);
        stream.Write(header);
        stream.Write(pixels);
    }

    /// <summary>Writes a labels file; gzip-compressed when <paramref name="path"/> ends with <c>.gz</c>.</summary>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="labels">The labels.</param>
    public static void WriteLabels(string path, ReadOnlySpan<byte> labels)
    {
        using Stream stream = OpenWrite(path);
        WriteLabels(stream, labels);
    }

    /// <summary>Writes a labels file; gzip-compressed when <paramref name="path"/> ends with <c>.gz</c>.</summary>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="labels">The labels, each in [0, 255].</param>
    /// <exception cref="ArgumentOutOfRangeException">A label is outside [0, 255].</exception>
    public static void WriteLabels(string path, ReadOnlySpan<int> labels) => WriteLabels(path, LabelBytes(labels));

    /// <summary>Writes an uncompressed labels file to <paramref name="stream"/>.</summary>
    /// <param name="stream">The destination; left open.</param>
    /// <param name="labels">The labels.</param>
    public static void WriteLabels(Stream stream, ReadOnlySpan<byte> labels)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Span<byte> header = stackalloc byte[8];
        BinaryPrimitives.WriteInt32BigEndian(header, LabelsMagic);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], labels.Length);
        stream.Write(header);
        stream.Write(labels);
    }

    /// <summary>Writes an uncompressed labels file to <paramref name="stream"/>.</summary>
    /// <param name="stream">The destination; left open.</param>
    /// <param name="labels">The labels, each in [0, 255].</param>
    /// <exception cref="ArgumentOutOfRangeException">A label is outside [0, 255].</exception>
    public static void WriteLabels(Stream stream, ReadOnlySpan<int> labels) => WriteLabels(stream, LabelBytes(labels));

    private static byte[] LabelBytes(ReadOnlySpan<int> labels)
    {
        var bytes = new byte[labels.Length];
        for (int i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] > byte.MaxValue)
            {
                throw new ArgumentOutOfRangeException(nameof(labels), labels[i], $"labels[{i}] = {labels[i]} is outside [0, 255].");
            }

            bytes[i] = (byte)labels[i];
        }

        return bytes;
    }

    private static FileStream OpenRead(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
    }

    private static Stream OpenWrite(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        return path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)
            ? new GZipStream(file, CompressionLevel.Optimal, leaveOpen: false)
            : file;
    }

    private static string SourceName(Stream stream, string? sourceName) =>
        sourceName ?? (stream as FileStream)?.Name ?? "stream";

    private static (byte[] Bytes, int[] Shape) ReadPayload(Stream stream, string source, int expectedMagic, string kind)
    {
        if (!stream.CanSeek)
        {
            // Peeking at the gzip magic needs to rewind; buffer a non-seekable stream (its size is bounded by its data).
            var copy = new MemoryStream();
            stream.CopyTo(copy);
            copy.Position = 0;
            stream = copy;
        }

        long start = stream.Position;
        Span<byte> peek = stackalloc byte[2];
        int peeked = stream.ReadAtLeast(peek, 2, throwOnEndOfStream: false);
        stream.Position = start;
        bool gzip = peeked == 2 && peek[0] == 0x1f && peek[1] == 0x8b;
        if (!gzip)
        {
            return new IdxReader(stream, source, gzip: false, remaining: stream.Length - start).Read(expectedMagic, kind);
        }

        using var inflater = new GZipStream(stream, CompressionMode.Decompress, leaveOpen: true);
        return new IdxReader(inflater, source, gzip: true, remaining: -1).Read(expectedMagic, kind);
    }

    /// <summary>Parses one IDX stream, tracking the (decompressed) offset for the error messages.</summary>
    private sealed class IdxReader(Stream stream, string source, bool gzip, long remaining)
    {
        private long _offset;

        public (byte[] Bytes, int[] Shape) Read(int expectedMagic, string kind)
        {
            int expectedDimensions = expectedMagic & 0xFF;
            Span<byte> word = stackalloc byte[4];
            ReadHeader(word, "the 4-byte magic number");
            int magic = BinaryPrimitives.ReadInt32BigEndian(word);
            string expectation = $"expected 0x{expectedMagic:X8} (unsigned-byte {kind}, {expectedDimensions} dimension{(expectedDimensions == 1 ? "" : "s")})";
            if (word[0] != 0 || word[1] != 0)
            {
                throw Error($"bad magic number 0x{magic:X8} at {Where(0)}: {expectation}; an IDX file starts with two zero bytes{(gzip ? "" : " (or 1f 8b when gzip-compressed)")}");
            }

            if (word[2] != 0x08)
            {
                throw Error($"unsupported element type 0x{word[2]:X2} at {Where(2)} (magic 0x{magic:X8}): {expectation}");
            }

            if (word[3] != expectedDimensions)
            {
                throw Error($"wrong dimension count {word[3]} at {Where(3)} (magic 0x{magic:X8}): {expectation}");
            }

            var shape = new int[expectedDimensions];
            long total = 1;
            for (int d = 0; d < expectedDimensions; d++)
            {
                long at = _offset;
                ReadHeader(word, $"dimension {d} of the header");
                uint size = BinaryPrimitives.ReadUInt32BigEndian(word);
                if (size > int.MaxValue)
                {
                    throw Error($"size overflow: dimension {d} at {Where(at)} is {size}, more than {int.MaxValue}");
                }

                if (d > 0 && size == 0)
                {
                    throw Error($"dimension {d} at {Where(at)} is 0: each item needs at least one element");
                }

                shape[d] = (int)size;
                total *= size;
                if (total > Array.MaxLength)
                {
                    throw Error($"size overflow: the dimensions [{string.Join(", ", shape[..(d + 1)])}] at {Where(4)}..{_offset - 1} give more than {Array.MaxLength} elements");
                }
            }

            long dataStart = _offset;
            string claim = $"the header says [{string.Join(" × ", shape)}] = {total} bytes of {kind} from {Where(dataStart)}";
            if (remaining >= 0 && remaining - dataStart < total)
            {
                throw Error($"data shorter than the header says: {claim}, but the file has only {remaining - dataStart} bytes after the header (it ends at {Where(remaining)})");
            }

            byte[] data = ReadData((int)total, claim);
            if (ReadByteOrEnd() >= 0)
            {
                throw Error($"unexpected data after {Where(_offset - 1)}: {claim}, so the file should end at {Where(dataStart + total)}");
            }

            return (data, shape);
        }

        private byte[] ReadData(int total, string claim)
        {
            // Grow with the data actually present, so that a corrupt header claiming gigabytes allocates nothing big.
            var buffer = new byte[Math.Min(total, ChunkBytes)];
            int filled = 0;
            while (filled < total)
            {
                if (filled == buffer.Length)
                {
                    Array.Resize(ref buffer, (int)Math.Min(total, 2L * buffer.Length));
                }

                int n = ReadSome(buffer.AsSpan(filled, Math.Min(buffer.Length - filled, ChunkBytes)));
                if (n == 0)
                {
                    throw Error($"truncated data at {Where(_offset)}: {claim}, but only {filled} are present");
                }

                filled += n;
                _offset += n;
            }

            return buffer;
        }

        private void ReadHeader(Span<byte> destination, string what)
        {
            int filled = 0;
            while (filled < destination.Length)
            {
                int n = ReadSome(destination[filled..]);
                if (n == 0)
                {
                    throw Error($"truncated header: expected {what} at {Where(_offset)}, but the data ends after {filled} of its {destination.Length} bytes");
                }

                filled += n;
            }

            _offset += filled;
        }

        private int ReadByteOrEnd()
        {
            Span<byte> one = stackalloc byte[1];
            return ReadSome(one) == 0 ? -1 : one[0];
        }

        private int ReadSome(Span<byte> destination)
        {
            try
            {
                return stream.Read(destination);
            }
            catch (InvalidDataException e)
            {
                throw Error($"corrupt gzip data after {Where(_offset)}: {e.Message}", e);
            }
        }

        private string Where(long offset) => gzip ? $"decompressed byte offset {offset}" : $"byte offset {offset}";

        private InvalidDataException Error(string message, Exception? inner = null) => new($"{source}: {message}.", inner);
    }
}
