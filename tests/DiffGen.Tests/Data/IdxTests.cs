using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;
using System.Linq;
using CsCheck;
using DiffGen.Data;
using Xunit;

namespace DiffGen.Tests.Data;

public sealed class IdxTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("diffgen-idx-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    internal static byte[] SamplePixels(int count, int rows, int columns) =>
        Enumerable.Range(0, count * rows * columns).Select(i => (byte)((i * 37) + (i / 7))).ToArray();

    internal static byte[] RawImages(int count, int rows, int columns)
    {
        using var stream = new MemoryStream();
        Idx.WriteImages(stream, SamplePixels(count, rows, columns), count, rows, columns);
        return stream.ToArray();
    }

    internal static byte[] RawLabels(params byte[] labels)
    {
        using var stream = new MemoryStream();
        Idx.WriteLabels(stream, labels);
        return stream.ToArray();
    }

    internal static byte[] Gzip(byte[] raw)
    {
        using var output = new MemoryStream();
        using (var gz = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gz.Write(raw);
        }

        return output.ToArray();
    }

    [Theory]
    [InlineData("images.idx3")]
    [InlineData("images.idx3.gz")]
    public void Images_RoundTrip_RawAndGzip(string name)
    {
        string path = Path.Combine(_dir, name);
        byte[] pixels = SamplePixels(3, 4, 5);
        Idx.WriteImages(path, pixels, 3, 4, 5);
        byte[] onDisk = File.ReadAllBytes(path);
        Assert.Equal(name.EndsWith(".gz", StringComparison.Ordinal), onDisk[0] == 0x1f && onDisk[1] == 0x8b);

        IdxImages images = Idx.ReadImages(path);
        Assert.Equal((3, 4, 5, 20), (images.Count, images.Rows, images.Columns, images.PixelsPerImage));
        Assert.Equal(pixels.Select(b => b / 255f), images.Pixels);
        Assert.Equal(pixels.Skip(20).Take(20).Select(b => b / 255f), images.GetImage(1).ToArray());
        Assert.Equal(pixels, images.ToBytes());

        string again = Path.Combine(_dir, "again-" + name);
        Idx.WriteImages(again, images);
        Assert.Equal(images.Pixels, Idx.ReadImages(again).Pixels);
    }

    [Fact]
    public void Images_HeaderIsBigEndianIdx3()
    {
        byte[] raw = RawImages(2, 3, 4);
        Assert.Equal([0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4], raw.Take(16));
        Assert.Equal(16 + 24, raw.Length);
        Assert.Equal([0, 0, 8, 1, 0, 0, 0, 3, 7, 0, 9], RawLabels(7, 0, 9));
    }

    [Theory]
    [InlineData("labels.idx1")]
    [InlineData("labels.idx1.gz")]
    public void Labels_RoundTrip_RawAndGzip(string name)
    {
        string path = Path.Combine(_dir, name);
        int[] labels = [3, 0, 9, 255, 1];
        Idx.WriteLabels(path, labels);
        Assert.Equal(labels, Idx.ReadLabels(path));
        Assert.Throws<ArgumentOutOfRangeException>(() => Idx.WriteLabels(path, [1, 256]));
    }

    [Fact]
    public void NonSeekableStreams_AreRead()
    {
        Assert.Equal(12, Idx.ReadImages(new ForwardOnlyStream(Gzip(RawImages(3, 2, 2))), "pipe").Pixels.Length);
        Assert.Equal([4, 2], Idx.ReadLabels(new ForwardOnlyStream(RawLabels(4, 2))));
    }

    [Fact]
    public void LoadDataset_PairsImagesAndLabels()
    {
        string images = Path.Combine(_dir, "i.gz");
        string labels = Path.Combine(_dir, "l.gz");
        Idx.WriteImages(images, SamplePixels(4, 2, 3), 4, 2, 3);
        Idx.WriteLabels(labels, new int[] { 1, 0, 2, 1 });
        Dataset d = Idx.LoadDataset(images, labels);
        Assert.Equal((4, 6, 3), (d.Count, d.FeatureCount, d.ClassCount));
        Assert.Equal(SamplePixels(4, 2, 3).Skip(6).Take(6).Select(b => b / 255f), d.GetFeatures(1).ToArray());
        Assert.Equal(10, Idx.LoadDataset(images, labels, classCount: 10).ClassCount);

        var e = Assert.Throws<InvalidDataException>(() => Idx.LoadDataset(images, labels, classCount: 2));
        Assert.Equal($"{labels}: label 2 of item 2 (byte offset 10) is not below the class count 2.", e.Message);

        Idx.WriteLabels(labels, new int[] { 1, 0, 2 });
        var mismatch = Assert.Throws<InvalidDataException>(() => Idx.LoadDataset(images, labels));
        Assert.Equal($"{images} has 4 images but {labels} has 3 labels: the counts must match.", mismatch.Message);
    }

    [Fact]
    public void Errors_SayWhatAndWhere_WithTheFileName()
    {
        string path = Path.Combine(_dir, "bad-images");

        Assert.Equal(
            $"{path}: bad magic number 0x12340803 at byte offset 0: expected 0x00000803 (unsigned-byte images, 3 dimensions); an IDX file starts with two zero bytes (or 1f 8b when gzip-compressed).",
            ImagesError(path, Patch(RawImages(1, 2, 2), 0, 0x12, 0x34)));

        Assert.Equal(
            $"{path}: unsupported element type 0x0D at byte offset 2 (magic 0x00000D03): expected 0x00000803 (unsigned-byte images, 3 dimensions).",
            ImagesError(path, Patch(RawImages(1, 2, 2), 2, 0x0D)));

        Assert.Equal(
            $"{path}: wrong dimension count 1 at byte offset 3 (magic 0x00000801): expected 0x00000803 (unsigned-byte images, 3 dimensions).",
            ImagesError(path, RawLabels(1, 2, 3)));

        Assert.Equal(
            $"{path}: wrong dimension count 3 at byte offset 3 (magic 0x00000803): expected 0x00000801 (unsigned-byte labels, 1 dimension).",
            Assert.Throws<InvalidDataException>(() => Idx.ReadLabels(new MemoryStream(RawImages(1, 2, 2)), path)).Message);

        Assert.Equal(
            $"{path}: truncated header: expected the 4-byte magic number at byte offset 0, but the data ends after 0 of its 4 bytes.",
            ImagesError(path, []));

        Assert.Equal(
            $"{path}: truncated header: expected dimension 1 of the header at byte offset 8, but the data ends after 2 of its 4 bytes.",
            ImagesError(path, RawImages(1, 2, 2)[..10]));

        Assert.Equal(
            $"{path}: data shorter than the header says: the header says [3 × 4 × 5] = 60 bytes of images from byte offset 16, but the file has only 59 bytes after the header (it ends at byte offset 75).",
            ImagesError(path, RawImages(3, 4, 5)[..^1]));

        Assert.Equal(
            $"{path}: truncated data at decompressed byte offset 75: the header says [3 × 4 × 5] = 60 bytes of images from decompressed byte offset 16, but only 59 are present.",
            ImagesError(path, Gzip(RawImages(3, 4, 5)[..^1])));

        Assert.Equal(
            $"{path}: unexpected data after byte offset 75: the header says [3 × 4 × 5] = 60 bytes of images from byte offset 16, so the file should end at byte offset 76.",
            ImagesError(path, [.. RawImages(3, 4, 5), 0]));

        Assert.Equal(
            $"{path}: size overflow: dimension 0 at byte offset 4 is 4294967295, more than 2147483647.",
            ImagesError(path, Patch(RawImages(1, 2, 2), 4, 0xFF, 0xFF, 0xFF, 0xFF)));

        byte[] huge = Patch(RawImages(1, 2, 2), 4, 0x00, 0x10, 0x00, 0x00);
        BinaryPrimitives.WriteInt32BigEndian(huge.AsSpan(8), 100_000);
        Assert.Equal(
            $"{path}: size overflow: the dimensions [1048576, 100000] at byte offset 4..11 give more than {Array.MaxLength} elements.",
            ImagesError(path, huge));

        Assert.Equal(
            $"{path}: dimension 2 at byte offset 12 is 0: each item needs at least one element.",
            ImagesError(path, Patch(RawImages(1, 2, 2)[..16], 12, 0, 0, 0, 0)));

        // A header claiming 2³⁰ pixels inside a gzip stream: rejected when the data runs out, without a 1 GiB allocation.
        byte[] claims = Patch(RawImages(1, 2, 2), 4, 0x00, 0x00, 0x40, 0x00);
        BinaryPrimitives.WriteInt32BigEndian(claims.AsSpan(8), 256);
        BinaryPrimitives.WriteInt32BigEndian(claims.AsSpan(12), 256);
        long before = GC.GetAllocatedBytesForCurrentThread();
        Assert.StartsWith($"{path}: truncated data at decompressed byte offset 20: the header says [16384 × 256 × 256] = 1073741824 bytes", ImagesError(path, Gzip(claims)));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 16 << 20, "the reader allocated for the claimed size");

        byte[] corruptGzip = Gzip(RawImages(3, 4, 5));
        corruptGzip[^6] ^= 0xFF; // inside the CRC-32 / ISIZE trailer
        Assert.StartsWith($"{path}: corrupt gzip data after decompressed byte offset", ImagesError(path, corruptGzip));
    }

    [Fact]
    public void Errors_NameTheFileOnDisk()
    {
        string path = Path.Combine(_dir, "t10k-labels-idx1-ubyte.gz");
        File.WriteAllBytes(path, Gzip(RawLabels(1, 2, 3)[..^1]));
        var e = Assert.Throws<InvalidDataException>(() => Idx.ReadLabels(path));
        Assert.Equal(
            $"{path}: truncated data at decompressed byte offset 10: the header says [3] = 3 bytes of labels from decompressed byte offset 8, but only 2 are present.",
            e.Message);
    }

    [Fact]
    public void Fuzz_MutatedFiles_OnlyEverThrowInvalidData()
    {
        // Valid small files (raw and gzip, images and labels), then either byte-level damage of the stored bytes
        // (overwrite, truncate, insert, bit flips) or header-level damage of the IDX bytes before compression
        // (a dimension or the magic set to an edge value, optionally with the payload cut short).
        (byte[] Raw, bool Gzip, bool Images)[] sources =
        [
            (RawImages(3, 4, 5), false, true),
            (RawImages(3, 4, 5), true, true),
            (RawLabels(1, 2, 3, 4), false, false),
            (RawLabels(5, 6, 7), true, false),
        ];

        Gen.Select(Gen.Int[0, sources.Length - 1], Gen.Int[0, 5], Gen.Int[0, 1 << 20], Gen.Byte, Gen.Int[1, 6])
            .Sample(
                (source, kind, position, value, count) =>
                {
                    (byte[] raw, bool gzip, bool images) = sources[source];
                    byte[] data = kind >= 4
                        ? Store(MutateHeader(raw, kind == 5, position, value, count), gzip)
                        : Mutate(Store(raw, gzip), kind, position, value, count);
                    try
                    {
                        _ = images ? Idx.ReadImages(new MemoryStream(data), "fuzz").Pixels.Length : Idx.ReadLabels(new MemoryStream(data), "fuzz").Length;
                    }
                    catch (InvalidDataException e)
                    {
                        Assert.StartsWith("fuzz: ", e.Message);
                    }

                    // The other reader on the same bytes must fail cleanly too (wrong kind → InvalidDataException).
                    try
                    {
                        _ = images ? Idx.ReadLabels(new ForwardOnlyStream(data), "fuzz").Length : Idx.ReadImages(new ForwardOnlyStream(data), "fuzz").Pixels.Length;
                    }
                    catch (InvalidDataException)
                    {
                    }
                },
                iter: 20_000);

        static byte[] Store(byte[] raw, bool gzip) => gzip ? Gzip(raw) : raw;
    }

    private static byte[] MutateHeader(byte[] raw, bool cutPayload, int position, byte value, int count)
    {
        int[] edges = [0, 1, 2, 255, int.MaxValue, int.MinValue, -1, 1 << 20];
        int headerLength = raw[3] == 3 ? 16 : 8;
        byte[] copy = (byte[])raw.Clone();
        int word = position % (headerLength / 4);
        BinaryPrimitives.WriteInt32BigEndian(copy.AsSpan(word * 4), word == 0 ? (0x0800 | (value & 3)) + (value >> 7 << 16) : edges[value % edges.Length]);
        return cutPayload ? copy[..Math.Min(copy.Length, headerLength + count - 1)] : copy;
    }

    private static byte[] Mutate(byte[] source, int kind, int position, byte value, int count)
    {
        int at = position % (source.Length + 1);
        switch (kind)
        {
            case 0: // overwrite `count` bytes from `at`
                byte[] copy = (byte[])source.Clone();
                for (int i = 0; i < count && at + i < copy.Length; i++)
                {
                    copy[at + i] = (byte)(value + (i * 31));
                }

                return copy;
            case 1: // truncate
                return source[..at];
            case 2: // insert
                return [.. source[..at], .. Enumerable.Repeat(value, count), .. source[at..]];
            default: // flip one bit in each of `count` spread positions
                byte[] flipped = (byte[])source.Clone();
                for (int i = 0; i < count; i++)
                {
                    int p = (at + (i * 7919)) % flipped.Length;
                    flipped[p] ^= (byte)(1 << ((value + i) & 7));
                }

                return flipped;
        }
    }

    private static string ImagesError(string name, byte[] data) =>
        Assert.Throws<InvalidDataException>(() => Idx.ReadImages(new MemoryStream(data), name)).Message;

    private static byte[] Patch(byte[] data, int at, params byte[] bytes)
    {
        byte[] copy = (byte[])data.Clone();
        bytes.CopyTo(copy, at);
        return copy;
    }

    /// <summary>A read-only, non-seekable view of bytes (like a pipe).</summary>
    private sealed class ForwardOnlyStream(byte[] data) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = Math.Min(Math.Min(count, 3), data.Length - _position);
            Array.Copy(data, _position, buffer, offset, n);
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
