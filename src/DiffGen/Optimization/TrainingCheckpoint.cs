using System;
using System.Buffers.Binary;
using System.IO;
using System.Numerics;
using System.Text;

namespace DiffGen.Optimization;

/// <summary>
/// A resumable snapshot of training — parameters, optimizer state (momentum, moments, step count, learning rate) and
/// <see cref="TrainingProgress"/> — in one checksummed file, written atomically.
/// </summary>
/// <remarks>
/// <para><b>Atomic.</b> <see cref="Save{T}"/> writes a temporary file beside the target, flushes it to the disk and renames
/// it over the target: a crash at any moment leaves either the previous checkpoint or the new one, never a mix.</para>
/// <para><b>Refused when bad.</b> <see cref="Load{T}(string, Parameters{T}, Optimizer{T})"/> checks the whole file's
/// CRC-32C before using any of it, then that its parameters and optimizer state match the given ones (names, lengths,
/// element type, optimizer kind). A corrupt, truncated or mismatched file is an <see cref="InvalidDataException"/> whose
/// message names the file and says what is wrong; the parameters and the optimizer are then unchanged.</para>
/// <para>The format (little-endian): the 8 ASCII bytes <c>DGCHECKP</c>, a u32 version (1), i32 epoch, i32 batch, i64 step,
/// a u32 length and the UTF-8 metadata, a u64 length and the parameters (<see cref="Parameters{T}.Save(Stream)"/>), a u64
/// length and the optimizer state (<see cref="Optimizer{T}.SaveState(Stream)"/>), then a u32 CRC-32C of all the preceding
/// bytes.</para>
/// </remarks>
public static class TrainingCheckpoint
{
    private const int Version = 1;
    private const int FixedHeaderBytes = 8 + 4 + 4 + 4 + 8 + 4;

    private static ReadOnlySpan<byte> Magic => "DGCHECKP"u8;

    /// <summary>Writes a checkpoint to <paramref name="path"/> atomically (temporary file, flush, rename).</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="path">The checkpoint file to create or replace.</param>
    /// <param name="parameters">The parameters.</param>
    /// <param name="optimizer">Their optimizer.</param>
    /// <param name="progress">Where training stands.</param>
    public static void Save<T>(string path, Parameters<T> parameters, Optimizer<T> optimizer, TrainingProgress progress)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] data = Serialize(parameters, optimizer, progress);
        string full = Path.GetFullPath(path);
        string temporary = $"{full}.{Environment.ProcessId}.tmp";
        try
        {
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                stream.Write(data);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, full, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    /// <summary>The bytes <see cref="Save{T}"/> writes (to send a checkpoint elsewhere, or store it another way).</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="parameters">The parameters.</param>
    /// <param name="optimizer">Their optimizer.</param>
    /// <param name="progress">Where training stands.</param>
    /// <returns>The checkpoint's bytes.</returns>
    public static byte[] Serialize<T>(Parameters<T> parameters, Optimizer<T> optimizer, TrainingProgress progress)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(progress);
        var stream = new MemoryStream();
        byte[] metadata = Encoding.UTF8.GetBytes(progress.Metadata ?? string.Empty);
        Span<byte> header = stackalloc byte[FixedHeaderBytes];
        Magic.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], Version);
        BinaryPrimitives.WriteInt32LittleEndian(header[12..], progress.Epoch);
        BinaryPrimitives.WriteInt32LittleEndian(header[16..], progress.Batch);
        BinaryPrimitives.WriteInt64LittleEndian(header[20..], progress.Step);
        BinaryPrimitives.WriteUInt32LittleEndian(header[28..], (uint)metadata.Length);
        stream.Write(header);
        stream.Write(metadata);
        WriteSection(stream, parameters.Save);
        WriteSection(stream, optimizer.SaveState);
        Span<byte> crc = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(crc, Crc32C.Compute(stream.GetBuffer().AsSpan(0, (int)stream.Length)));
        stream.Write(crc);
        return stream.ToArray();
    }

    /// <summary>Restores <paramref name="parameters"/> and <paramref name="optimizer"/> from the checkpoint at <paramref name="path"/>.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="path">The checkpoint file.</param>
    /// <param name="parameters">The parameters to fill; the same names and lengths as when saved.</param>
    /// <param name="optimizer">The optimizer to restore; the same kind as when saved.</param>
    /// <returns>Where training stood.</returns>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="InvalidDataException">The file is corrupt, truncated or does not match (the message names it).</exception>
    public static TrainingProgress Load<T>(string path, Parameters<T> parameters, Optimizer<T> optimizer)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Load(File.ReadAllBytes(path), path, parameters, optimizer);
    }

    /// <summary>Restores from checkpoint bytes (as <see cref="Serialize{T}"/> made them, read from a file or received).</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="data">The checkpoint's bytes.</param>
    /// <param name="source">What to call the data in messages (its file name).</param>
    /// <param name="parameters">The parameters to fill.</param>
    /// <param name="optimizer">The optimizer to restore.</param>
    /// <returns>Where training stood.</returns>
    /// <exception cref="InvalidDataException">The data is corrupt, truncated or does not match; nothing is changed then.</exception>
    public static TrainingProgress Load<T>(ReadOnlySpan<byte> data, string source, Parameters<T> parameters, Optimizer<T> optimizer)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(optimizer);
        if (data.Length < FixedHeaderBytes + 4 || !data[..8].SequenceEqual(Magic))
        {
            throw Refuse(source, data.Length < 8 || data[..8].SequenceEqual(Magic)
                ? $"only {data.Length} bytes, shorter than a checkpoint's header (truncated)"
                : $"bad magic header {Convert.ToHexString(data[..8])}: expected \"DGCHECKP\" (not a DiffGen checkpoint)");
        }

        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(data[^4..]);
        uint computed = Crc32C.Compute(data[..^4]);
        if (stored != computed)
        {
            throw Refuse(source, $"checksum mismatch over its {data.Length} bytes: stored 0x{stored:X8}, computed 0x{computed:X8} (the file is corrupt or truncated)");
        }

        uint version = BinaryPrimitives.ReadUInt32LittleEndian(data[8..]);
        if (version != Version)
        {
            throw Refuse(source, $"unsupported checkpoint version {version} (expected {Version})");
        }

        int epoch = BinaryPrimitives.ReadInt32LittleEndian(data[12..]);
        int batch = BinaryPrimitives.ReadInt32LittleEndian(data[16..]);
        long step = BinaryPrimitives.ReadInt64LittleEndian(data[20..]);
        uint metadataLength = BinaryPrimitives.ReadUInt32LittleEndian(data[28..]);
        if (epoch < 1 || batch < 0 || step < 0 || metadataLength > data.Length - FixedHeaderBytes - 4)
        {
            throw Refuse(source, $"invalid header: epoch {epoch}, batch {batch}, step {step}, metadata of {metadataLength} bytes");
        }

        string metadata = Encoding.UTF8.GetString(data.Slice(FixedHeaderBytes, (int)metadataLength));
        int offset = FixedHeaderBytes + (int)metadataLength;
        ReadOnlySpan<byte> parameterSection = Section(data, ref offset, source, "parameters");
        ReadOnlySpan<byte> stateSection = Section(data, ref offset, source, "optimizer state");
        if (offset != data.Length - 4)
        {
            throw Refuse(source, $"{data.Length - 4 - offset} unexpected bytes before the checksum");
        }

        // Keep what is there now, so that a section that does not fit leaves both unchanged.
        var before = new MemoryStream();
        parameters.Save(before);
        long stateStart = before.Length;
        optimizer.SaveState(before);
        try
        {
            parameters.Load(new MemoryStream(parameterSection.ToArray(), writable: false));
            optimizer.LoadState(new MemoryStream(stateSection.ToArray(), writable: false));
        }
        catch (InvalidDataException e)
        {
            before.Position = 0;
            parameters.Load(before);
            before.Position = stateStart;
            optimizer.LoadState(before);
            throw Refuse(source, "it does not match this model and optimizer: " + e.Message, e);
        }

        return new TrainingProgress(epoch, batch, step, metadata);
    }

    private static void WriteSection(MemoryStream stream, Action<Stream> write)
    {
        long lengthAt = stream.Length;
        stream.Write(stackalloc byte[8]);
        write(stream);
        long length = stream.Length - lengthAt - 8;
        BinaryPrimitives.WriteUInt64LittleEndian(stream.GetBuffer().AsSpan((int)lengthAt, 8), (ulong)length);
    }

    private static ReadOnlySpan<byte> Section(ReadOnlySpan<byte> data, ref int offset, string source, string what)
    {
        if (offset + 8 > data.Length - 4)
        {
            throw Refuse(source, $"truncated before the length of the {what} section at byte {offset}");
        }

        ulong length = BinaryPrimitives.ReadUInt64LittleEndian(data[offset..]);
        if (length > (ulong)(data.Length - 4 - offset - 8))
        {
            throw Refuse(source, $"the {what} section at byte {offset} claims {length} bytes, but only {data.Length - 4 - offset - 8} remain");
        }

        ReadOnlySpan<byte> section = data.Slice(offset + 8, (int)length);
        offset += 8 + (int)length;
        return section;
    }

    private static InvalidDataException Refuse(string source, string why, Exception? inner = null) =>
        new($"Checkpoint '{source}' refused: {why}.", inner);
}
