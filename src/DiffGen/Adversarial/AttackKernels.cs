using System;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace DiffGen.Adversarial;

/// <summary>
/// The element-wise SIMD kernels of the attacks. The sign steps use the widest accelerated vector (Vector512, then
/// Vector256 and Vector128 for what is left, then a scalar tail that writes straight into the destination); the others
/// Vector&lt;float&gt; or TensorPrimitives.
/// </summary>
internal static class AttackKernels
{
    /// <summary>
    /// The FGSM step in one pass: destination[i] = clamp(x[i] + alpha·sign(g[i]), min, max), with sign(0) = sign(NaN) = 0
    /// (a NaN gradient component does not move the feature) and clamp(v) = min(max(v, lo), hi) as torch.clamp (and
    /// <see cref="Math.Max(float, float)"/>: NaN propagates, −0 &lt; +0). With alpha = 0 nothing is added:
    /// destination[i] = clamp(x[i], min, max) (not x + 0, which would turn −0 into +0).
    /// destination may be x itself, but must not partially overlap x or g.
    /// </summary>
    public static void SignStepClamp(ReadOnlySpan<float> x, ReadOnlySpan<float> g, float alpha, float min, float max, Span<float> destination)
    {
        int length = x.Length;
        if (g.Length != length || destination.Length != length)
        {
            throw new ArgumentException("Spans must have the same length.", nameof(destination));
        }

        if (alpha == 0f)
        {
            TensorPrimitives.Clamp(x, min, max, destination);
            return;
        }

        ref float rx = ref MemoryMarshal.GetReference(x);
        ref float rg = ref MemoryMarshal.GetReference(g);
        ref float rd = ref MemoryMarshal.GetReference(destination);
        nuint n = (nuint)length, i = 0;
        if (Vector512.IsHardwareAccelerated && n >= (nuint)Vector512<float>.Count)
        {
            Vector512<float> up = Vector512.Create(alpha), down = Vector512.Create(-alpha);
            Vector512<float> lo = Vector512.Create(min), hi = Vector512.Create(max);
            for (; i + (nuint)Vector512<float>.Count <= n; i += (nuint)Vector512<float>.Count)
            {
                Vector512<float> v = Vector512.LoadUnsafe(ref rx, i) + Step(Vector512.LoadUnsafe(ref rg, i), up, down);
                Vector512.Min(Vector512.Max(v, lo), hi).StoreUnsafe(ref rd, i);
            }
        }

        if (Vector256.IsHardwareAccelerated && n - i >= (nuint)Vector256<float>.Count)
        {
            Vector256<float> up = Vector256.Create(alpha), down = Vector256.Create(-alpha);
            Vector256<float> lo = Vector256.Create(min), hi = Vector256.Create(max);
            for (; i + (nuint)Vector256<float>.Count <= n; i += (nuint)Vector256<float>.Count)
            {
                Vector256<float> v = Vector256.LoadUnsafe(ref rx, i) + Step(Vector256.LoadUnsafe(ref rg, i), up, down);
                Vector256.Min(Vector256.Max(v, lo), hi).StoreUnsafe(ref rd, i);
            }
        }

        if (Vector128.IsHardwareAccelerated && n - i >= (nuint)Vector128<float>.Count)
        {
            Vector128<float> up = Vector128.Create(alpha), down = Vector128.Create(-alpha);
            Vector128<float> lo = Vector128.Create(min), hi = Vector128.Create(max);
            for (; i + (nuint)Vector128<float>.Count <= n; i += (nuint)Vector128<float>.Count)
            {
                Vector128<float> v = Vector128.LoadUnsafe(ref rx, i) + Step(Vector128.LoadUnsafe(ref rg, i), up, down);
                Vector128.Min(Vector128.Max(v, lo), hi).StoreUnsafe(ref rd, i);
            }
        }

        for (; i < n; i++)
        {
            float v = Unsafe.Add(ref rx, i) + Step(Unsafe.Add(ref rg, i), alpha);
            Unsafe.Add(ref rd, i) = Math.Min(Math.Max(v, min), max);
        }
    }

    /// <summary>
    /// The iterative L∞ step (BIM, L∞ PGD, MI-FGSM) in one pass: destination[i] =
    /// clamp(clamp(x[i] + alpha·sign(g[i]), x0[i] − eps, x0[i] + eps), min, max) — the sign step of
    /// <see cref="SignStepClamp"/>, the projection onto the L∞ ball of radius eps around x0, then onto the range, the same
    /// float operations in the same order as the step followed by <see cref="ProjectLinf"/>. With alpha = 0 nothing is
    /// added (x is only projected). destination may be x itself, but must not partially overlap x, g or x0.
    /// </summary>
    public static void ProjectedSignStep(
        ReadOnlySpan<float> x, ReadOnlySpan<float> g, ReadOnlySpan<float> x0, float alpha, float eps, float min, float max, Span<float> destination)
    {
        int length = x.Length;
        if (g.Length != length || x0.Length != length || destination.Length != length)
        {
            throw new ArgumentException("Spans must have the same length.", nameof(destination));
        }

        if (alpha == 0f)
        {
            x.CopyTo(destination);
            ProjectLinf(destination, x0, eps, min, max);
            return;
        }

        ref float rx = ref MemoryMarshal.GetReference(x);
        ref float rg = ref MemoryMarshal.GetReference(g);
        ref float r0 = ref MemoryMarshal.GetReference(x0);
        ref float rd = ref MemoryMarshal.GetReference(destination);
        nuint n = (nuint)length, i = 0;
        if (Vector512.IsHardwareAccelerated && n >= (nuint)Vector512<float>.Count)
        {
            Vector512<float> up = Vector512.Create(alpha), down = Vector512.Create(-alpha), e = Vector512.Create(eps);
            Vector512<float> lo = Vector512.Create(min), hi = Vector512.Create(max);
            for (; i + (nuint)Vector512<float>.Count <= n; i += (nuint)Vector512<float>.Count)
            {
                Vector512<float> c = Vector512.LoadUnsafe(ref r0, i);
                Vector512<float> v = Vector512.LoadUnsafe(ref rx, i) + Step(Vector512.LoadUnsafe(ref rg, i), up, down);
                v = Vector512.Min(Vector512.Max(v, c - e), c + e);
                Vector512.Min(Vector512.Max(v, lo), hi).StoreUnsafe(ref rd, i);
            }
        }

        if (Vector256.IsHardwareAccelerated && n - i >= (nuint)Vector256<float>.Count)
        {
            Vector256<float> up = Vector256.Create(alpha), down = Vector256.Create(-alpha), e = Vector256.Create(eps);
            Vector256<float> lo = Vector256.Create(min), hi = Vector256.Create(max);
            for (; i + (nuint)Vector256<float>.Count <= n; i += (nuint)Vector256<float>.Count)
            {
                Vector256<float> c = Vector256.LoadUnsafe(ref r0, i);
                Vector256<float> v = Vector256.LoadUnsafe(ref rx, i) + Step(Vector256.LoadUnsafe(ref rg, i), up, down);
                v = Vector256.Min(Vector256.Max(v, c - e), c + e);
                Vector256.Min(Vector256.Max(v, lo), hi).StoreUnsafe(ref rd, i);
            }
        }

        if (Vector128.IsHardwareAccelerated && n - i >= (nuint)Vector128<float>.Count)
        {
            Vector128<float> up = Vector128.Create(alpha), down = Vector128.Create(-alpha), e = Vector128.Create(eps);
            Vector128<float> lo = Vector128.Create(min), hi = Vector128.Create(max);
            for (; i + (nuint)Vector128<float>.Count <= n; i += (nuint)Vector128<float>.Count)
            {
                Vector128<float> c = Vector128.LoadUnsafe(ref r0, i);
                Vector128<float> v = Vector128.LoadUnsafe(ref rx, i) + Step(Vector128.LoadUnsafe(ref rg, i), up, down);
                v = Vector128.Min(Vector128.Max(v, c - e), c + e);
                Vector128.Min(Vector128.Max(v, lo), hi).StoreUnsafe(ref rd, i);
            }
        }

        for (; i < n; i++)
        {
            float c = Unsafe.Add(ref r0, i);
            float v = Unsafe.Add(ref rx, i) + Step(Unsafe.Add(ref rg, i), alpha);
            v = Math.Min(Math.Max(v, c - eps), c + eps);
            Unsafe.Add(ref rd, i) = Math.Min(Math.Max(v, min), max);
        }
    }

    /// <summary>alpha·sign(g): +alpha where g &gt; 0, −alpha where g &lt; 0, 0 where g is ±0 or NaN (both compares false).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Step(float g, float alpha) => g > 0f ? alpha : g < 0f ? -alpha : 0f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Step(Vector512<float> g, Vector512<float> up, Vector512<float> down) =>
        (Vector512.GreaterThan(g, Vector512<float>.Zero) & up) | (Vector512.LessThan(g, Vector512<float>.Zero) & down);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Step(Vector256<float> g, Vector256<float> up, Vector256<float> down) =>
        (Vector256.GreaterThan(g, Vector256<float>.Zero) & up) | (Vector256.LessThan(g, Vector256<float>.Zero) & down);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Step(Vector128<float> g, Vector128<float> up, Vector128<float> down) =>
        (Vector128.GreaterThan(g, Vector128<float>.Zero) & up) | (Vector128.LessThan(g, Vector128<float>.Zero) & down);

    /// <summary>
    /// x[i] = clamp(clamp(x[i], x0[i] − eps, x0[i] + eps), min, max): the projection onto the L∞ ball of radius eps around
    /// x0, then onto the valid range (clamp is min(max(v, lo), hi), as torch.clamp).
    /// </summary>
    public static void ProjectLinf(Span<float> x, ReadOnlySpan<float> x0, float eps, float min, float max)
    {
        int n = x.Length;
        if (x0.Length != n)
        {
            throw new ArgumentException("Spans must have the same length.", nameof(x0));
        }

        ref float rx = ref MemoryMarshal.GetReference(x);
        ref float r0 = ref MemoryMarshal.GetReference(x0);
        int i = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<float>.Count)
        {
            var e = new Vector<float>(eps);
            var lo = new Vector<float>(min);
            var hi = new Vector<float>(max);
            int last = n - Vector<float>.Count;
            for (; i <= last; i += Vector<float>.Count)
            {
                Vector<float> v0 = Vector.LoadUnsafe(ref r0, (nuint)i);
                Vector<float> v = Vector.LoadUnsafe(ref rx, (nuint)i);
                v = Vector.Min(Vector.Max(v, v0 - e), v0 + e);
                v = Vector.Min(Vector.Max(v, lo), hi);
                v.StoreUnsafe(ref rx, (nuint)i);
            }
        }

        for (; i < n; i++)
        {
            float c = Unsafe.Add(ref r0, i);
            float v = Math.Min(Math.Max(Unsafe.Add(ref rx, i), c - eps), c + eps);
            Unsafe.Add(ref rx, i) = Math.Min(Math.Max(v, min), max);
        }
    }

    /// <summary>x[i] = clamp(x[i], min, max).</summary>
    public static void ClampRange(Span<float> x, float min, float max) => TensorPrimitives.Clamp(x, min, max, x);

    /// <summary>
    /// One normalised L2 step on one row: x ← x + (alpha/‖g‖₂)·g. A row whose gradient norm is 0 or not finite does not move.
    /// </summary>
    public static void L2Step(Span<float> xRow, ReadOnlySpan<float> gRow, float alpha)
    {
        float norm = TensorPrimitives.Norm(gRow);
        if (norm > 0f && float.IsFinite(norm))
        {
            TensorPrimitives.MultiplyAdd(gRow, alpha / norm, xRow, xRow);
        }
    }

    /// <summary>
    /// Projects one row onto the L2 ball of radius eps around x0 (x ← x0 + (x − x0)·eps/‖x − x0‖₂ when ‖x − x0‖₂ &gt; eps),
    /// then clamps it to [min, max]. Clamping moves every feature towards x0 (x0 is in range), so it stays in the ball.
    /// </summary>
    public static void ProjectL2(Span<float> xRow, ReadOnlySpan<float> x0Row, float eps, float min, float max, Span<float> scratch)
    {
        TensorPrimitives.Subtract(xRow, x0Row, scratch);
        float norm = TensorPrimitives.Norm(scratch);
        if (norm > eps)
        {
            TensorPrimitives.MultiplyAdd(scratch, eps / norm, x0Row, xRow);
        }

        ClampRange(xRow, min, max);
    }
}
