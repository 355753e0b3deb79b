using System;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace DiffGen.Adversarial;

/// <summary>The element-wise SIMD kernels of the attacks (Vector&lt;float&gt;, width chosen at run time, scalar tail).</summary>
internal static class AttackKernels
{
    /// <summary>
    /// destination[i] = x[i] + alpha·sign(g[i]), with sign(0) = sign(NaN) = 0 (a NaN gradient component does not move the
    /// feature, so results stay finite). With alpha = 0 the destination is a bit-exact copy of x.
    /// destination may be x itself.
    /// </summary>
    public static void AddScaledSign(ReadOnlySpan<float> x, ReadOnlySpan<float> g, float alpha, Span<float> destination)
    {
        int n = x.Length;
        if (g.Length != n || destination.Length != n)
        {
            throw new ArgumentException("Spans must have the same length.", nameof(destination));
        }

        if (alpha == 0f)
        {
            x.CopyTo(destination);
            return;
        }

        ref float rx = ref MemoryMarshal.GetReference(x);
        ref float rg = ref MemoryMarshal.GetReference(g);
        ref float rd = ref MemoryMarshal.GetReference(destination);
        int i = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<float>.Count)
        {
            var up = new Vector<float>(alpha);
            var down = new Vector<float>(-alpha);
            int last = n - Vector<float>.Count;
            for (; i <= last; i += Vector<float>.Count)
            {
                Vector<float> vg = Vector.LoadUnsafe(ref rg, (nuint)i);
                Vector<float> vx = Vector.LoadUnsafe(ref rx, (nuint)i);
                Vector<float> step = Vector.ConditionalSelect(
                    Vector.GreaterThan(vg, Vector<float>.Zero),
                    up,
                    Vector.ConditionalSelect(Vector.LessThan(vg, Vector<float>.Zero), down, Vector<float>.Zero));
                (vx + step).StoreUnsafe(ref rd, (nuint)i);
            }
        }

        for (; i < n; i++)
        {
            float gi = Unsafe.Add(ref rg, i);
            float step = gi > 0f ? alpha : gi < 0f ? -alpha : 0f;
            Unsafe.Add(ref rd, i) = Unsafe.Add(ref rx, i) + step;
        }
    }

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
