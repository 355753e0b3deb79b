using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Text;

namespace DiffGen.Optimization;

/// <summary>The binary format of <see cref="Parameters{T}.Save(Stream)"/>: see the remarks there.</summary>
internal static class ParameterFile
{
    public const int Version = 1;
    public const int MaxNameBytes = 1024;
    public const uint Float32Code = 1;
    public const uint Float64Code = 2;
    private const int HeaderBytes = 8 + 4 + 4 + 4;

    public static ReadOnlySpan<byte> Magic => "DGPARAMS"u8;

    public static uint ElementCode<T>() => typeof(T) == typeof(float) ? Float32Code : Float64Code;

    public static string ElementName(uint code) => code switch
    {
        Float32Code => "float32",
        Float64Code => "float64",
        _ => "unknown type code " + code.ToString(CultureInfo.InvariantCulture),
    };

    public static void Write<T>(Stream stream, IReadOnlyList<Parameter<T>> parameters)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var crc = new Crc32C();
        Span<byte> header = stackalloc byte[HeaderBytes];
        Magic.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], Version);
        BinaryPrimitives.WriteUInt32LittleEndian(header[12..], ElementCode<T>());
        BinaryPrimitives.WriteInt32LittleEndian(header[16..], parameters.Count);
        Emit(stream, ref crc, header);

        Span<byte> entry = stackalloc byte[2 + MaxNameBytes + 4];
        for (int i = 0; i < parameters.Count; i++)
        {
            int nameBytes = Encoding.UTF8.GetBytes(parameters[i].Name, entry[2..]);
            BinaryPrimitives.WriteUInt16LittleEndian(entry, (ushort)nameBytes);
            BinaryPrimitives.WriteInt32LittleEndian(entry[(2 + nameBytes)..], parameters[i].Length);
            Emit(stream, ref crc, entry[..(2 + nameBytes + 4)]);
        }

        for (int i = 0; i < parameters.Count; i++)
        {
            ReadOnlySpan<T> values = parameters[i].Value;
            if (BitConverter.IsLittleEndian)
            {
                Emit(stream, ref crc, MemoryMarshal.AsBytes(values));
            }
            else
            {
                byte[] swapped = MemoryMarshal.AsBytes(values).ToArray();
                ReverseElements<T>(swapped);
                Emit(stream, ref crc, swapped);
            }
        }

        Span<byte> trailer = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(trailer, crc.Value);
        stream.Write(trailer);
        stream.Flush();
    }

    public static void Read<T>(Stream stream, IReadOnlyList<Parameter<T>> parameters, string source, bool requireEnd)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var reader = new Reader(stream, source);
        Span<byte> header = stackalloc byte[HeaderBytes];
        reader.Read(header[..8], "the magic header");
        if (!header[..8].SequenceEqual(Magic))
        {
            throw reader.Error(0, $"bad magic header {Convert.ToHexString(header[..8])}: expected \"DGPARAMS\" (not a DiffGen parameter file)");
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
        if (count != parameters.Count)
        {
            throw reader.Error(16, $"parameter count mismatch: the file has {count}, this set has {parameters.Count}");
        }

        Span<byte> name = stackalloc byte[MaxNameBytes];
        Span<byte> small = stackalloc byte[4];
        for (int i = 0; i < count; i++)
        {
            Parameter<T> expected = parameters[i];
            long entryStart = reader.Offset;
            reader.Read(small[..2], $"the name length of parameter #{i}");
            int nameLength = BinaryPrimitives.ReadUInt16LittleEndian(small);
            if (nameLength == 0 || nameLength > MaxNameBytes)
            {
                throw reader.Error(entryStart, $"invalid name length {nameLength} of parameter #{i} (expected 1..{MaxNameBytes})");
            }

            reader.Read(name[..nameLength], $"the name of parameter #{i}");
            string actualName = DecodeName(name[..nameLength]);
            if (!string.Equals(actualName, expected.Name, StringComparison.Ordinal))
            {
                throw reader.Error(entryStart + 2, $"name mismatch at parameter #{i}: the file has '{actualName}', this set has '{expected.Name}'");
            }

            long lengthOffset = reader.Offset;
            reader.Read(small, $"the length of parameter '{expected.Name}'");
            int length = BinaryPrimitives.ReadInt32LittleEndian(small);
            if (length != expected.Length)
            {
                throw reader.Error(lengthOffset, $"length mismatch for parameter '{expected.Name}': the file has {length}, this set has {expected.Length}");
            }
        }

        // Read into temporaries so that a bad checksum leaves the set unchanged.
        var values = new T[count][];
        for (int i = 0; i < count; i++)
        {
            values[i] = new T[parameters[i].Length];
            reader.Read(MemoryMarshal.AsBytes(values[i].AsSpan()), $"the values of parameter '{parameters[i].Name}'");
        }

        long crcOffset = reader.Offset;
        uint computed = reader.Checksum;
        reader.Read(small, "the checksum");
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

            values[i].CopyTo(parameters[i].Value);
        }
    }

    private static string DecodeName(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return new UTF8Encoding(false, true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return "<invalid UTF-8 " + Convert.ToHexString(bytes) + ">";
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
