using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Text;

namespace DiffGen.Optimization;

/// <summary>
/// The binary format of <see cref="Parameters{T}.Save(Stream)"/> (see the remarks there) and of
/// <see cref="Optimizer{T}.SaveState(Stream)"/>, which adds the optimizer's kind, step count and learning rate after the
/// parameter count.
/// </summary>
internal static class ParameterFile
{
    public const int Version = 1;
    public const int MaxNameBytes = 1024;
    public const int MaxParameterNameBytes = 1000;
    public const uint Float32Code = 1;
    public const uint Float64Code = 2;
    private const int HeaderBytes = 8 + 4 + 4 + 4;

    public static ReadOnlySpan<byte> ParametersMagic => "DGPARAMS"u8;

    public static ReadOnlySpan<byte> StateMagic => "DGOPTSTA"u8;

    public static uint ElementCode<T>() => typeof(T) == typeof(float) ? Float32Code : Float64Code;

    public static string ElementName(uint code) => code switch
    {
        Float32Code => "float32",
        Float64Code => "float64",
        _ => "unknown type code " + code.ToString(CultureInfo.InvariantCulture),
    };

    public static void Write<T>(Stream stream, IReadOnlyList<(string Name, T[] Values)> entries, StateHeader? state)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var crc = new Crc32C();
        Span<byte> header = stackalloc byte[HeaderBytes];
        (state is null ? ParametersMagic : StateMagic).CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], Version);
        BinaryPrimitives.WriteUInt32LittleEndian(header[12..], ElementCode<T>());
        BinaryPrimitives.WriteInt32LittleEndian(header[16..], entries.Count);
        Emit(stream, ref crc, header);

        Span<byte> entry = stackalloc byte[2 + MaxNameBytes + 16];
        if (state is StateHeader s)
        {
            int kindBytes = Encoding.UTF8.GetBytes(s.Kind, entry[2..]);
            BinaryPrimitives.WriteUInt16LittleEndian(entry, (ushort)kindBytes);
            BinaryPrimitives.WriteInt64LittleEndian(entry[(2 + kindBytes)..], s.Step);
            BinaryPrimitives.WriteDoubleLittleEndian(entry[(2 + kindBytes + 8)..], s.LearningRate);
            Emit(stream, ref crc, entry[..(2 + kindBytes + 16)]);
        }

        foreach ((string name, T[] values) in entries)
        {
            int nameBytes = Encoding.UTF8.GetBytes(name, entry[2..]);
            BinaryPrimitives.WriteUInt16LittleEndian(entry, (ushort)nameBytes);
            BinaryPrimitives.WriteInt32LittleEndian(entry[(2 + nameBytes)..], values.Length);
            Emit(stream, ref crc, entry[..(2 + nameBytes + 4)]);
        }

        foreach ((_, T[] values) in entries)
        {
            if (BitConverter.IsLittleEndian)
            {
                Emit(stream, ref crc, MemoryMarshal.AsBytes(values.AsSpan()));
            }
            else
            {
                byte[] swapped = MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
                ReverseElements<T>(swapped);
                Emit(stream, ref crc, swapped);
            }
        }

        Span<byte> trailer = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(trailer, crc.Value);
        stream.Write(trailer);
        stream.Flush();
    }

    /// <summary>
    /// Reads a file whose entries must match <paramref name="entries"/> (names, lengths, order) into them; on any error
    /// nothing is written. For a state file, <paramref name="expectedKind"/> must match and the header is returned.
    /// </summary>
    public static StateHeader? Read<T>(Stream stream, IReadOnlyList<(string Name, T[] Values)> entries, string source, bool requireEnd, string? expectedKind)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var reader = new Reader(stream, source);
        ReadOnlySpan<byte> magic = expectedKind is null ? ParametersMagic : StateMagic;
        string magicText = Encoding.ASCII.GetString(magic);
        string what = expectedKind is null ? "a DiffGen parameter file" : "a DiffGen optimizer state file";
        Span<byte> header = stackalloc byte[HeaderBytes];
        reader.Read(header[..8], "the magic header");
        if (!header[..8].SequenceEqual(magic))
        {
            throw reader.Error(0, $"bad magic header {Convert.ToHexString(header[..8])}: expected \"{magicText}\" (not {what})");
        }

        reader.Read(header[8..], "the header");
        uint version = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
        if (version != Version)
        {
            throw reader.Error(8, $"unsupported format version {version}: expected {Version}");
        }

        uint code = BinaryPrimitives.ReadUInt32LittleEndian(header[12..]);
        if (code != ElementCode<T>())
        {
            throw reader.Error(12, $"element type mismatch: the file holds {ElementName(code)}, this set is {ElementName(ElementCode<T>())}");
        }

        int count = BinaryPrimitives.ReadInt32LittleEndian(header[16..]);
        if (count != entries.Count)
        {
            throw reader.Error(16, $"{(expectedKind is null ? "parameter" : "state buffer")} count mismatch: the file has {count}, this set has {entries.Count}");
        }

        Span<byte> name = stackalloc byte[MaxNameBytes];
        Span<byte> small = stackalloc byte[8];
        StateHeader? state = null;
        if (expectedKind is not null)
        {
            long kindStart = reader.Offset;
            string kind = ReadName(reader, name, small, "the optimizer kind");
            if (!string.Equals(kind, expectedKind, StringComparison.Ordinal))
            {
                throw reader.Error(kindStart + 2, $"optimizer mismatch: the file holds {kind} state, this optimizer is {expectedKind}");
            }

            reader.Read(small, "the step count");
            long step = BinaryPrimitives.ReadInt64LittleEndian(small);
            reader.Read(small, "the learning rate");
            double rate = BinaryPrimitives.ReadDoubleLittleEndian(small);
            if (step < 0 || !double.IsFinite(rate) || rate < 0)
            {
                throw reader.Error(reader.Offset - 16, $"invalid step count {step} or learning rate {rate}");
            }

            state = new StateHeader(kind, step, rate);
        }

        string noun = expectedKind is null ? "parameter" : "state buffer";
        for (int i = 0; i < count; i++)
        {
            (string expectedName, T[] expectedValues) = entries[i];
            long entryStart = reader.Offset;
            string actualName = ReadName(reader, name, small, $"the name of {noun} #{i}");
            if (!string.Equals(actualName, expectedName, StringComparison.Ordinal))
            {
                throw reader.Error(entryStart + 2, $"name mismatch at {noun} #{i}: the file has '{actualName}', this set has '{expectedName}'");
            }

            long lengthOffset = reader.Offset;
            reader.Read(small[..4], $"the length of {noun} '{expectedName}'");
            int length = BinaryPrimitives.ReadInt32LittleEndian(small);
            if (length != expectedValues.Length)
            {
                throw reader.Error(lengthOffset, $"length mismatch for {noun} '{expectedName}': the file has {length}, this set has {expectedValues.Length}");
            }
        }

        // Read into temporaries so that a bad checksum leaves everything unchanged.
        var values = new T[count][];
        for (int i = 0; i < count; i++)
        {
            values[i] = new T[entries[i].Values.Length];
            reader.Read(MemoryMarshal.AsBytes(values[i].AsSpan()), $"the values of {noun} '{entries[i].Name}'");
        }

        long crcOffset = reader.Offset;
        uint computed = reader.Checksum;
        reader.Read(small[..4], "the checksum");
        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(small);
        if (stored != computed)
        {
            throw reader.Error(crcOffset, $"checksum mismatch: stored 0x{stored:X8}, computed 0x{computed:X8} over bytes 0..{crcOffset - 1} (the file is corrupt)");
        }

        if (requireEnd && stream.ReadByte() >= 0)
        {
            throw reader.Error(reader.Offset, "unexpected data after the checksum (expected the end of the file)");
        }

        for (int i = 0; i < count; i++)
        {
            if (!BitConverter.IsLittleEndian)
            {
                ReverseElements<T>(MemoryMarshal.AsBytes(values[i].AsSpan()));
            }

            values[i].CopyTo(entries[i].Values, 0);
        }

        return state;
    }

    private static string ReadName(Reader reader, Span<byte> name, Span<byte> small, string what)
    {
        long start = reader.Offset;
        reader.Read(small[..2], $"the length of {what}");
        int length = BinaryPrimitives.ReadUInt16LittleEndian(small);
        if (length == 0 || length > MaxNameBytes)
        {
            throw reader.Error(start, $"invalid length {length} of {what} (expected 1..{MaxNameBytes})");
        }

        reader.Read(name[..length], what);
        try
        {
            return new UTF8Encoding(false, true).GetString(name[..length]);
        }
        catch (DecoderFallbackException)
        {
            return "<invalid UTF-8 " + Convert.ToHexString(name[..length]) + ">";
        }
    }

    private static void Emit(Stream stream, ref Crc32C crc, ReadOnlySpan<byte> bytes)
    {
        crc.Append(bytes);
        stream.Write(bytes);
    }

    private static void ReverseElements<T>(Span<byte> bytes)
    {
        if (typeof(T) == typeof(float))
        {
            Span<uint> words = MemoryMarshal.Cast<byte, uint>(bytes);
            BinaryPrimitives.ReverseEndianness(words, words);
        }
        else
        {
            Span<ulong> words = MemoryMarshal.Cast<byte, ulong>(bytes);
            BinaryPrimitives.ReverseEndianness(words, words);
        }
    }

    /// <summary>What an optimizer state file records besides its buffers.</summary>
    internal readonly record struct StateHeader(string Kind, long Step, double LearningRate);

    /// <summary>Reads exact byte counts, tracking the offset and the checksum, and words errors with the source.</summary>
    private sealed class Reader(Stream stream, string source)
    {
        private Crc32C _crc = new();

        public long Offset { get; private set; }

        public uint Checksum => _crc.Value;

        public void Read(Span<byte> destination, string what)
        {
            int total = 0;
            while (total < destination.Length)
            {
                int n = stream.Read(destination[total..]);
                if (n == 0)
                {
                    throw Error(
                        Offset + total,
                        $"truncated: expected {destination.Length} bytes of {what} at byte {Offset}, but the data ends after {total}");
                }

                total += n;
            }

            _crc.Append(destination);
            Offset += total;
        }

        public InvalidDataException Error(long offset, string message) =>
            new($"{source}: byte {offset}: {message}.");
    }
}
