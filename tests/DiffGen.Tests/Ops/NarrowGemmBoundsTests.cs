using System;
using System.Runtime.InteropServices;
using DiffGen.Gemm;
using Xunit;

namespace DiffGen.Tests.Ops;

/// <summary>
/// The narrow GEMM kernels read their operands with masked loads and clamped row and column pointers; a load that
/// reaches past the end of an operand would go unnoticed by value checks (the extra lanes are never stored). Here each
/// operand in turn ends exactly where an inaccessible page (PROT_NONE) begins, with no padding between rows, so any
/// such read faults and aborts the test run. Linux only (mmap/mprotect); elsewhere the test does nothing.
/// </summary>
public unsafe class NarrowGemmBoundsTests
{
    private const int ProtNone = 0, ProtReadWrite = 3, MapPrivateAnonymous = 0x22;

    [Theory]
    [InlineData(nameof(GemmKernel.KernelChoice.Vector512Narrow))]
    [InlineData(nameof(GemmKernel.KernelChoice.Vector256Narrow))]
    public void NarrowKernels_NeverReadOrWritePastAnOperand(string choiceName)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var choice = Enum.Parse<GemmKernel.KernelChoice>(choiceName);
        var rng = new Random(17);
        int ran = 0;
        foreach ((int m, int k, int n) in new[] { (1, 1, 1), (3, 17, 10), (5, 7, 8), (7, 33, 16), (13, 9, 31), (65, 20, 4), (70, 600, 16), (6, 2100, 10) })
        {
            for (int variant = 0; variant < 16; variant++)
            {
                bool transposeA = (variant & 1) != 0, transposeB = (variant & 2) != 0, accumulate = (variant & 4) != 0, asDouble = (variant & 8) != 0;
                ran += asDouble
                    ? Run<double>(choice, rng, m, k, n, transposeA, transposeB, accumulate)
                    : Run<float>(choice, rng, m, k, n, transposeA, transposeB, accumulate);
            }
        }

        bool supported = choice == GemmKernel.KernelChoice.Vector512Narrow
            ? System.Runtime.Intrinsics.X86.Avx512F.IsSupported
            : System.Runtime.Intrinsics.X86.Avx.IsSupported && System.Runtime.Intrinsics.X86.Fma.IsSupported;
        Assert.Equal(supported ? 8 * 16 * 3 : 0, ran);
    }

    /// <summary>Runs the product three times, with A, then B, then C flush against a guard page; returns how many ran narrow.</summary>
    private static int Run<T>(GemmKernel.KernelChoice choice, Random rng, int m, int k, int n, bool transposeA, bool transposeB, bool accumulate)
        where T : unmanaged
    {
        int lda = transposeA ? m : k, ldb = transposeB ? k : n;
        T[] a = Values<T>(rng, m * k), b = Values<T>(rng, k * n), c = Values<T>(rng, m * n);
        int ran = 0;
        for (int guarded = 0; guarded < 3; guarded++)
        {
            T[] source = guarded == 0 ? a : guarded == 1 ? b : c;
            using var page = new GuardedBuffer(source.Length * sizeof(T));
            Span<T> flush = new Span<T>(page.End - source.Length * sizeof(T), source.Length);
            source.CopyTo(flush);
            Span<T> cc = guarded == 2 ? flush : (T[])c.Clone();
            GemmKernel.NarrowPath path = GemmKernel.MultiplyNarrow<T>(
                choice, transposeA, transposeB, m, n, k, guarded == 0 ? flush : a, lda, guarded == 1 ? flush : b, ldb, cc, n, accumulate);
            ran += path == GemmKernel.NarrowPath.None ? 0 : 1;
        }

        return ran;
    }

    private static T[] Values<T>(Random rng, int length)
        where T : unmanaged
    {
        var values = new T[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = typeof(T) == typeof(float) ? (T)(object)(float)rng.NextDouble() : (T)(object)rng.NextDouble();
        }

        return values;
    }

    /// <summary>Read-write pages followed by one inaccessible page; <see cref="End"/> is where the inaccessible page begins.</summary>
    private sealed class GuardedBuffer : IDisposable
    {
        private readonly nint _start;
        private readonly nuint _length;

        public GuardedBuffer(int bytes)
        {
            nuint pageSize = (nuint)Environment.SystemPageSize;
            nuint dataPages = ((nuint)bytes + pageSize - 1) / pageSize;
            _length = (dataPages + 1) * pageSize;
            _start = mmap(0, _length, ProtReadWrite, MapPrivateAnonymous, -1, 0);
            Assert.NotEqual(-1, _start);
            End = (byte*)_start + dataPages * pageSize;
            Assert.Equal(0, mprotect((nint)End, pageSize, ProtNone));
        }

        public byte* End { get; }

        public void Dispose() => munmap(_start, _length);

        [DllImport("libc", SetLastError = true)]
        private static extern nint mmap(nint address, nuint length, int protection, int flags, int fd, nint offset);

        [DllImport("libc", SetLastError = true)]
        private static extern int mprotect(nint address, nuint length, int protection);

        [DllImport("libc", SetLastError = true)]
        private static extern int munmap(nint address, nuint length);
    }
}
