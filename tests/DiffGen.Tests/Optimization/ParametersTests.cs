using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using DiffGen.Optimization;
using Xunit;

namespace DiffGen.Tests.Optimization;

public class ParametersTests
{
    [Fact]
    public void Add_NamesIndexesAndValidates()
    {
        var set = new Parameters<float>();
        Parameter<float> w = set.Add("w", 6);
        Parameter<float> b = set.Add("b", 2);
        Assert.Equal(2, set.Count);
        Assert.Equal(8, set.TotalLength);
        Assert.Same(w, set["w"]);
        Assert.Same(b, set[1]);
        Assert.Equal(1, b.Index);
        Assert.True(set.TryGet("w", out Parameter<float>? found) && found == w);
        Assert.False(set.TryGet("x", out _));
        Assert.Equal(["w", "b"], set.Select(p => p.Name));
        Assert.Contains("already exists", Assert.Throws<ArgumentException>(() => set.Add("w", 3)).Message);
        Assert.Throws<ArgumentException>(() => set.Add("", 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => set.Add("z", 0));
        Assert.Throws<KeyNotFoundException>(() => set["nope"]);
        Assert.Throws<NotSupportedException>(() => new Parameters<Half>());
    }

    [Fact]
    public void ValueAndGrad_AreTheArraysBehindTheSpans()
    {
        var set = new Parameters<float>();
        Parameter<float> w = set.Add("w", 4);
        w.Grad[2] += 1.5f;
        w.Value[1] = 3f;
        Assert.Equal(1.5f, w.GradArray[2]);
        Assert.Equal(3f, w.ValueArray[1]);
        set.ZeroGrad();
        Assert.All(w.GradArray, g => Assert.Equal(0f, g));
        Assert.Equal(3f, w.Value[1]);
    }

    [Fact]
    public void Initialisers_AreSeededAndHaveTheRightMoments()
    {
        // 200 000 draws: the sample std is within 1% of σ with overwhelming probability (standard error ≈ 0.16%).
        const int n = 200_000;
        const int fanIn = 50, fanOut = 150;
        var set = new Parameters<double>();
        double[] kaiming = set.Add("k", n).InitKaimingNormal(new Random(1), fanIn).ValueArray;
        double[] xavierN = set.Add("xn", n).InitXavierNormal(new Random(2), fanIn, fanOut).ValueArray;
        double[] xavierU = set.Add("xu", n).InitXavierUniform(new Random(3), fanIn, fanOut).ValueArray;
        double[] kaimingU = set.Add("ku", n).InitKaimingUniform(new Random(4), fanIn).ValueArray;
        double[] uniform = set.Add("u", n).InitUniform(new Random(5), -0.5, 2).ValueArray;

        AssertMoments(kaiming, 0, Math.Sqrt(2.0 / fanIn));
        AssertMoments(xavierN, 0, Math.Sqrt(2.0 / (fanIn + fanOut)));
        AssertMoments(xavierU, 0, Math.Sqrt(6.0 / (fanIn + fanOut)) / Math.Sqrt(3));
        AssertMoments(kaimingU, 0, Math.Sqrt(6.0 / fanIn) / Math.Sqrt(3));
        AssertMoments(uniform, 0.75, 2.5 / Math.Sqrt(12));
        Assert.All(xavierU, x => Assert.InRange(x, -Math.Sqrt(6.0 / 200), Math.Sqrt(6.0 / 200)));
        Assert.All(uniform, x => Assert.InRange(x, -0.5, 2));

        var again = new Parameters<double>();
        Assert.Equal(kaiming, again.Add("k", n).InitKaimingNormal(new Random(1), fanIn).ValueArray);
        Assert.NotEqual(kaiming, again.Add("k2", n).InitKaimingNormal(new Random(7), fanIn).ValueArray);
        Assert.All(set.Add("z", 5).InitConstant(3).InitZeros().ValueArray, v => Assert.Equal(0, v));

        var floats = new Parameters<float>();
        Assert.Equal(
            floats.Add("a", 11).InitKaimingNormal(new Random(1), fanIn).ValueArray,
            kaiming.Take(11).Select(x => (float)x).ToArray());
    }

    [Fact]
    public void SaveLoad_RoundTripsBitExactly_Float()
    {
        Parameters<float> source = SampleSet<float>(seed: 1);
        Parameter<float> w = source["w1"];
        w.Value[0] = float.NaN;
        w.Value[1] = -0f;
        w.Value[2] = float.Epsilon;
        w.Value[3] = float.NegativeInfinity;
        w.Value[4] = BitConverter.Int32BitsToSingle(0x7FC0_1234); // NaN with a payload
        string path = TempPath();
        try
        {
            source.Save(path);
            Parameters<float> target = SampleSet<float>(seed: 2);
            target.Load(path);
            AssertBitEqual(source, target);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void SaveLoad_RoundTripsBitExactly_Double_ThroughStreams()
    {
        Parameters<double> source = SampleSet<double>(seed: 3);
        source["b1"].Value[0] = BitConverter.Int64BitsToDouble(0x7FF8_0000_0000_BEEF);
        using var stream = new MemoryStream();
        source.Save(stream);
        stream.WriteByte(0xAB); // data after the record is left for the caller
        stream.Position = 0;
        Parameters<double> target = SampleSet<double>(seed: 4);
        target.Load(stream);
        AssertBitEqual(source, target);
        Assert.Equal(0xAB, stream.ReadByte());
    }

    [Fact]
    public void Checksum_IsCrc32C()
    {
        Assert.Equal(0xE3069283u, Crc32C.Compute("123456789"u8));
        Assert.Equal(0u, Crc32C.Compute(ReadOnlySpan<byte>.Empty));
        byte[] long1 = Enumerable.Range(0, 1000).Select(i => (byte)(i * 7)).ToArray();
        var split = new Crc32C();
        split.Append(long1.AsSpan(0, 13));
        split.Append(long1.AsSpan(13));
        Assert.Equal(Crc32C.Compute(long1), split.Value);
    }

    [Fact]
    public void Load_EveryFlippedByte_ThrowsInvalidData_AndLeavesValuesUnchanged()
    {
        byte[] file = Saved(SampleSet<float>(seed: 5));
        for (int at = 0; at < file.Length; at++)
        {
            byte[] corrupt = (byte[])file.Clone();
            corrupt[at] ^= 0x10;
            Parameters<float> target = SampleSet<float>(seed: 6);
            float[] before = target["w1"].Value.ToArray();
            var e = Assert.Throws<InvalidDataException>(() => target.Load(new MemoryStream(corrupt)));
            Assert.Matches(@"^stream: byte \d+: ", e.Message);
            Assert.Equal(before, target["w1"].Value.ToArray());
        }
    }

    [Fact]
    public void Load_EveryTruncation_ThrowsInvalidData_SayingWhere()
    {
        byte[] file = Saved(SampleSet<float>(seed: 5));
        for (int length = 0; length < file.Length; length++)
        {
            var e = Assert.Throws<InvalidDataException>(() => SampleSet<float>(seed: 6).Load(new MemoryStream(file, 0, length)));
            Assert.Contains("truncated", e.Message);
            Assert.Contains($"byte {length}:", e.Message);
        }
    }

    [Fact]
    public void Load_Errors_SayWhatAndWhere()
    {
        byte[] file = Saved(SampleSet<float>(seed: 5));

        byte[] badMagic = (byte[])file.Clone();
        badMagic[0] = (byte)'X';
        Assert.Equal(
            "stream: byte 0: bad magic header 5847504152414D53: expected \"DGPARAMS\" (not a DiffGen parameter file).",
            Load(badMagic).Message);

        byte[] badVersion = (byte[])file.Clone();
        badVersion[8] = 9;
        Assert.Equal("stream: byte 8: unsupported format version 9: expected 1.", Load(badVersion).Message);

        byte[] payload = (byte[])file.Clone();
        payload[40] ^= 1; // inside the values of w1 → only the checksum can tell
        Assert.Matches(@"^stream: byte \d+: checksum mismatch: stored 0x[0-9A-F]{8}, computed 0x[0-9A-F]{8} over bytes 0\.\.\d+ \(the file is corrupt\)\.$", Load(payload).Message);

        Assert.Equal(
            "stream: byte 12: element type mismatch: the file holds float64, this set is float32.",
            Load(Saved(SampleSet<double>(seed: 5))).Message);

        var renamed = new Parameters<float>();
        renamed.Add("w1", 37);
        renamed.Add("bias", 5); // header 20 bytes + entry "w1" (2 + 2 + 4) = 28; the name starts at 30
        Assert.Equal("stream: byte 30: name mismatch at parameter #1: the file has 'bias', this set has 'b1'.", Load(Saved(renamed)).Message);

        var resized = new Parameters<float>();
        resized.Add("w1", 36);
        resized.Add("b1", 5);
        Assert.Equal("stream: byte 24: length mismatch for parameter 'w1': the file has 36, this set has 37.", Load(Saved(resized)).Message);

        var fewer = new Parameters<float>();
        fewer.Add("w1", 37);
        Assert.Equal("stream: byte 16: parameter count mismatch: the file has 1, this set has 2.", Load(Saved(fewer)).Message);

        string path = TempPath();
        try
        {
            File.WriteAllBytes(path, [.. file, 0]);
            var e = Assert.Throws<InvalidDataException>(() => SampleSet<float>(seed: 1).Load(path));
            Assert.Equal($"{path}: byte {file.Length}: unexpected data after the checksum (expected the end of the file).", e.Message);
        }
        finally
        {
            File.Delete(path);
        }

        static InvalidDataException Load(byte[] bytes) =>
            Assert.Throws<InvalidDataException>(() => SampleSet<float>(seed: 9).Load(new MemoryStream(bytes)));
    }

    private static Parameters<T> SampleSet<T>(int seed)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var set = new Parameters<T>();
        var rng = new Random(seed);
        set.Add("w1", 37).InitKaimingNormal(rng, 10);
        set.Add("b1", 5).InitUniform(rng, -1, 1);
        return set;
    }

    private static byte[] Saved<T>(Parameters<T> set)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        using var stream = new MemoryStream();
        set.Save(stream);
        return stream.ToArray();
    }

    private static void AssertBitEqual<T>(Parameters<T> expected, Parameters<T> actual)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        for (int k = 0; k < expected.Count; k++)
        {
            Assert.True(
                System.Runtime.InteropServices.MemoryMarshal.AsBytes(expected[k].Value).SequenceEqual(System.Runtime.InteropServices.MemoryMarshal.AsBytes(actual[k].Value)),
                $"parameter {expected[k].Name} differs bitwise");
        }
    }

    private static string TempPath() => Path.Combine(Path.GetTempPath(), $"diffgen-params-{Guid.NewGuid():N}.bin");

    private static void AssertMoments(double[] xs, double mean, double std)
    {
        double m = xs.Average();
        double s = Math.Sqrt(xs.Select(x => (x - m) * (x - m)).Average());
        Assert.True(Math.Abs(m - mean) < 0.01 * std, $"mean {m} vs {mean}");
        Assert.True(Math.Abs(s - std) < 0.01 * std, $"std {s} vs {std}");
    }
}
