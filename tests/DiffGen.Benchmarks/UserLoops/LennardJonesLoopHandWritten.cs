using System;
using System.Buffers;
using System.Runtime.Intrinsics;

namespace DiffGen.Benchmarks.UserLoops;

/// <summary>
/// Careful gradients of <see cref="LennardJonesLoop.Energy"/> (the forces, negated). ∂E/∂rᵢ = Σⱼ s·(rᵢ − rⱼ) with
/// s = (−48 r⁻¹² + 24 r⁻⁶)/r², and −s·(rᵢ − rⱼ) for atom j (Newton's third law: each pair once).
/// </summary>
public static class LennardJonesLoopHandWritten
{
    /// <summary>
    /// The coordinates repacked into x, y, z arrays (stack for up to 256 atoms, pooled beyond), the inner loop over j
    /// four pairs at a time with Vector256 and a scalar tail; atom i's force stays in registers. Returns the energy and
    /// adds ∂E/∂x into <paramref name="dx"/>.
    /// </summary>
    public static double EnergyGradient(ReadOnlySpan<double> x, Span<double> dx)
    {
        if (dx.Length != x.Length || x.Length % 3 != 0)
        {
            throw new ArgumentException("dx must have the length of x, a multiple of 3.", nameof(dx));
        }

        int n = x.Length / 3;
        double[]? rented = null;
        Span<double> soa = n <= 256 ? stackalloc double[6 * 256] : (rented = ArrayPool<double>.Shared.Rent(6 * n));
        Span<double> px = soa[..n], py = soa.Slice(n, n), pz = soa.Slice(2 * n, n);
        Span<double> gx = soa.Slice(3 * n, n), gy = soa.Slice(4 * n, n), gz = soa.Slice(5 * n, n);
        for (int i = 0; i < n; i++)
        {
            px[i] = x[3 * i];
            py[i] = x[3 * i + 1];
            pz[i] = x[3 * i + 2];
        }

        soa.Slice(3 * n, 3 * n).Clear();
        double energy = 0;
        for (int i = 0; i < n; i++)
        {
            double xi = px[i], yi = py[i], zi = pz[i];
            double fx = 0, fy = 0, fz = 0, e = 0;
            int j = i + 1;
            if (Vector256.IsHardwareAccelerated)
            {
                Vector256<double> vxi = Vector256.Create(xi), vyi = Vector256.Create(yi), vzi = Vector256.Create(zi);
                Vector256<double> ve = Vector256<double>.Zero, vfx = ve, vfy = ve, vfz = ve;
                Vector256<double> one = Vector256.Create(1.0), c48 = Vector256.Create(48.0), c24 = Vector256.Create(24.0);
                for (; j <= n - Vector256<double>.Count; j += Vector256<double>.Count)
                {
                    Vector256<double> ddx = vxi - Vector256.Create(px.Slice(j, Vector256<double>.Count));
                    Vector256<double> ddy = vyi - Vector256.Create(py.Slice(j, Vector256<double>.Count));
                    Vector256<double> ddz = vzi - Vector256.Create(pz.Slice(j, Vector256<double>.Count));
                    Vector256<double> inv2 = one / (ddx * ddx + ddy * ddy + ddz * ddz);
                    Vector256<double> inv6 = inv2 * inv2 * inv2;
                    Vector256<double> inv12 = inv6 * inv6;
                    ve += inv12 - inv6;
                    Vector256<double> s = (c24 * inv6 - c48 * inv12) * inv2;
                    Vector256<double> sx = s * ddx, sy = s * ddy, sz = s * ddz;
                    vfx += sx;
                    vfy += sy;
                    vfz += sz;
                    (Vector256.Create(gx.Slice(j, Vector256<double>.Count)) - sx).CopyTo(gx.Slice(j, Vector256<double>.Count));
                    (Vector256.Create(gy.Slice(j, Vector256<double>.Count)) - sy).CopyTo(gy.Slice(j, Vector256<double>.Count));
                    (Vector256.Create(gz.Slice(j, Vector256<double>.Count)) - sz).CopyTo(gz.Slice(j, Vector256<double>.Count));
                }

                e = Vector256.Sum(ve);
                fx = Vector256.Sum(vfx);
                fy = Vector256.Sum(vfy);
                fz = Vector256.Sum(vfz);
            }

            for (; j < n; j++)
            {
                double ddx = xi - px[j], ddy = yi - py[j], ddz = zi - pz[j];
                double inv2 = 1 / (ddx * ddx + ddy * ddy + ddz * ddz);
                double inv6 = inv2 * inv2 * inv2;
                double inv12 = inv6 * inv6;
                e += inv12 - inv6;
                double s = (24 * inv6 - 48 * inv12) * inv2;
                fx += s * ddx;
                fy += s * ddy;
                fz += s * ddz;
                gx[j] -= s * ddx;
                gy[j] -= s * ddy;
                gz[j] -= s * ddz;
            }

            energy += 4 * e;
            gx[i] += fx;
            gy[i] += fy;
            gz[i] += fz;
        }

        for (int i = 0; i < n; i++)
        {
            dx[3 * i] += gx[i];
            dx[3 * i + 1] += gy[i];
            dx[3 * i + 2] += gz[i];
        }

        if (rented is not null)
        {
            ArrayPool<double>.Shared.Return(rented);
        }

        return energy;
    }

    /// <summary>The same pair loop in scalar code on the interleaved coordinates, atom i's force in locals.</summary>
    public static double EnergyGradientScalar(ReadOnlySpan<double> x, Span<double> dx)
    {
        if (dx.Length != x.Length || x.Length % 3 != 0)
        {
            throw new ArgumentException("dx must have the length of x, a multiple of 3.", nameof(dx));
        }

        int n = x.Length / 3;
        double energy = 0;
        for (int i = 0; i < n; i++)
        {
            double xi = x[3 * i], yi = x[3 * i + 1], zi = x[3 * i + 2];
            double fx = 0, fy = 0, fz = 0;
            for (int j = i + 1; j < n; j++)
            {
                double ddx = xi - x[3 * j], ddy = yi - x[3 * j + 1], ddz = zi - x[3 * j + 2];
                double inv2 = 1 / (ddx * ddx + ddy * ddy + ddz * ddz);
                double inv6 = inv2 * inv2 * inv2;
                double inv12 = inv6 * inv6;
                energy += 4 * (inv12 - inv6);
                double s = (24 * inv6 - 48 * inv12) * inv2;
                fx += s * ddx;
                fy += s * ddy;
                fz += s * ddz;
                dx[3 * j] -= s * ddx;
                dx[3 * j + 1] -= s * ddy;
                dx[3 * j + 2] -= s * ddz;
            }

            dx[3 * i] += fx;
            dx[3 * i + 1] += fy;
            dx[3 * i + 2] += fz;
        }

        return energy;
    }
}
