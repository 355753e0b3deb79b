using System;
using System.Buffers.Binary;
using System.Runtime.Intrinsics.X86;

namespace DiffGen.Optimization;

/// <summary>CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), with the SSE4.2 instruction when present.</summary>
internal struct Crc32C
{
    private static readonly uint[] Table = CreateTable();
    private uint _state;

    public Crc32C() => _state = 0xFFFFFFFFu;

    /// <summary>The checksum of every byte appended so far.</summary>
    public readonly uint Value => ~_state;

    public static uint Compute(ReadOnlySpan<byte> data)
    {
        var crc = new Crc32C();
        crc.Append(data);
        return crc.Value;
    }

    public void Append(ReadOnlySpan<byte> data)
    {
        uint state = _state;
        if (Sse42.X64.IsSupported)
        {
            ulong wide = state;
            while (data.Length >= 8)
            {
                wide = Sse42.X64.Crc32(wide, BinaryPrimitives.ReadUInt64LittleEndian(data));
                data = data[8..];
            }

            state = (uint)wide;
        }

        foreach (byte b in data)
        {
            state = Table[(byte)(state ^ b)] ^ (state >> 8);
        }

        _state = state;
    }

    private static uint[] CreateTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            uint c = i;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0x82F63B78u ^ (c >> 1) : c >> 1;
            }

            table[i] = c;
        }

        return table;
    }
}
