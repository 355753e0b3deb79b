using System;
using System.Buffers;

namespace DiffGen.GradBench.HandWritten;

/// <summary>
/// The careful person's hand-tracking Jacobian (<see cref="Evals.Ht.Objective"/>), by tangents worked out by hand and
/// carried together: the 20 finger angles through the bone chain (each bone's rotation derivative in closed form, the
/// absolutes' product rule down the tree), then through the skinning of every vertex; the global rotation's derivative
/// (angle-axis, closed form) and the translation's (the identity) applied to the posed points; the barycentric
/// coordinates' columns (complicated variant) from the triangle's corner differences.
/// </summary>
public static class HtHandWritten
{
    private const int Fingers = 20;

    /// <summary>
    /// Writes the residuals into <paramref name="err"/> and the Jacobian into <paramref name="jacobian"/> (row-major,
    /// 3·correspondences rows; columns: the two barycentric coordinates when <paramref name="us"/> is not empty, then θ).
    /// </summary>
    public static void Jacobian(
        ReadOnlySpan<double> theta, ReadOnlySpan<double> us,
        ReadOnlySpan<int> parents, ReadOnlySpan<double> baseRelatives, ReadOnlySpan<double> inverseBaseAbsolutes,
        ReadOnlySpan<double> basePositions, ReadOnlySpan<double> weights, ReadOnlySpan<int> triangles, bool isMirrored,
        ReadOnlySpan<int> correspondences, ReadOnlySpan<double> points, Span<double> err, Span<double> jacobian)
    {
        int bones = parents.Length;
        int vertices = basePositions.Length / 4;
        bool complicated = us.Length != 0;
        int columns = (complicated ? 2 : 0) + theta.Length;
        int first = complicated ? 2 : 0;

        int length = 3 * (bones + 3) + 3 * 16 * bones * (1 + Fingers) + 3 * vertices * (1 + 3 + Fingers + 3);
        double[] rented = ArrayPool<double>.Shared.Rent(length);
        Span<double> all = rented.AsSpan(0, length);
        int at = 0;
        Span<double> pose = Take(all, ref at, 3 * (bones + 3));
        Span<double> relatives = Take(all, ref at, 16 * bones);
        Span<double> absolutes = Take(all, ref at, 16 * bones);
        Span<double> transforms = Take(all, ref at, 16 * bones);
        Span<double> drelatives = Take(all, ref at, 16 * bones * Fingers);
        Span<double> dabsolutes = Take(all, ref at, 16 * bones * Fingers);
        Span<double> dtransforms = Take(all, ref at, 16 * bones * Fingers);
        Span<double> positions = Take(all, ref at, 3 * vertices);
        Span<double> local = Take(all, ref at, 3 * vertices);
        Span<double> dpositions = Take(all, ref at, 3 * vertices * (Fingers + 3));
        dpositions = dpositions[..(3 * vertices * (Fingers + 3))];
        drelatives.Clear();

        // Pose parameters and which finger direction (0…19 = θ6…θ25) moves which pose entry.
        pose.Clear();
        for (int r = 0; r < 3; r++)
        {
            pose[r] = theta[r];
            pose[3 + r] = 1;
            pose[6 + r] = theta[3 + r];
        }

        Span<int> directionEntry = stackalloc int[Fingers];
        int thetaIndex = 6, poseColumn = 5;
        for (int finger = 0; finger < 5; finger++)
        {
            for (int joint = 0; joint < 3; joint++)
            {
                directionEntry[thetaIndex - 6] = 3 * poseColumn;
                pose[3 * poseColumn] = theta[thetaIndex++];
                if (joint == 0)
                {
                    directionEntry[thetaIndex - 6] = 3 * poseColumn + 1;
                    pose[3 * poseColumn + 1] = theta[thetaIndex++];
                }

                poseColumn++;
            }

            poseColumn++;
        }

        // Relatives and their derivatives with respect to the bone's own angles (x = row 0, z = row 1).
        Span<double> m = stackalloc double[9];
        Span<double> mx = stackalloc double[9];
        Span<double> mz = stackalloc double[9];
        for (int bone = 0; bone < bones; bone++)
        {
            int column = 3 * (bone + 3);
            double cx = Math.Cos(pose[column]), sx = Math.Sin(pose[column]);
            double cz = Math.Cos(pose[column + 1]), sz = Math.Sin(pose[column + 1]);
            double cy = Math.Cos(pose[column + 2]), sy = Math.Sin(pose[column + 2]);
            m[0] = cz * cy; m[1] = -sz * cx + cz * sy * sx; m[2] = sz * sx + cz * sy * cx;
            m[3] = sz * cy; m[4] = cz * cx + sz * sy * sx; m[5] = -cz * sx + sz * sy * cx;
            m[6] = -sy; m[7] = cy * sx; m[8] = cy * cx;
            mx[0] = 0; mx[1] = sz * sx + cz * sy * cx; mx[2] = sz * cx - cz * sy * sx;
            mx[3] = 0; mx[4] = -cz * sx + sz * sy * cx; mx[5] = -cz * cx - sz * sy * sx;
            mx[6] = 0; mx[7] = cy * cx; mx[8] = -cy * sx;
            mz[0] = -sz * cy; mz[1] = -cz * cx - sz * sy * sx; mz[2] = cz * sx - sz * sy * cx;
            mz[3] = cz * cy; mz[4] = -sz * cx + cz * sy * sx; mz[5] = sz * sx + cz * sy * cx;
            mz[6] = 0; mz[7] = 0; mz[8] = 0;
            int o = 16 * bone;
            TimesRotation(baseRelatives.Slice(o, 16), m, relatives.Slice(o, 16), keepTranslation: true);
            for (int direction = 0; direction < Fingers; direction++)
            {
                if (directionEntry[direction] == column)
                {
                    TimesRotation(baseRelatives.Slice(o, 16), mx, drelatives.Slice(16 * (bone * Fingers + direction), 16), keepTranslation: false);
                }
                else if (directionEntry[direction] == column + 1)
                {
                    TimesRotation(baseRelatives.Slice(o, 16), mz, drelatives.Slice(16 * (bone * Fingers + direction), 16), keepTranslation: false);
                }
            }
        }

        // Absolutes and transforms with their tangents: d(A·R) = dA·R + A·dR.
        for (int bone = 0; bone < bones; bone++)
        {
            int o = 16 * bone;
            int parent = parents[bone];
            if (parent < 0)
            {
                relatives.Slice(o, 16).CopyTo(absolutes.Slice(o, 16));
                drelatives.Slice(16 * bone * Fingers, 16 * Fingers).CopyTo(dabsolutes.Slice(16 * bone * Fingers, 16 * Fingers));
            }
            else
            {
                Multiply(absolutes.Slice(16 * parent, 16), relatives.Slice(o, 16), absolutes.Slice(o, 16));
                for (int direction = 0; direction < Fingers; direction++)
                {
                    Span<double> d = dabsolutes.Slice(16 * (bone * Fingers + direction), 16);
                    Multiply(dabsolutes.Slice(16 * (parent * Fingers + direction), 16), relatives.Slice(o, 16), d);
                    MultiplyAdd(absolutes.Slice(16 * parent, 16), drelatives.Slice(16 * (bone * Fingers + direction), 16), d);
                }
            }

            Multiply(absolutes.Slice(o, 16), inverseBaseAbsolutes.Slice(o, 16), transforms.Slice(o, 16));
            for (int direction = 0; direction < Fingers; direction++)
            {
                Multiply(dabsolutes.Slice(16 * (bone * Fingers + direction), 16), inverseBaseAbsolutes.Slice(o, 16), dtransforms.Slice(16 * (bone * Fingers + direction), 16));
            }
        }

        // The global rotation G (scaled columns) and its derivatives with respect to θ0…θ2.
        Span<double> g = stackalloc double[9];
        Span<double> dg = stackalloc double[27];
        GlobalRotation(pose, g, dg);

        // Skinning with the finger tangents, then the global transform; tangents: finger directions 0…19 rotated by G,
        // then θ0…θ2 (dG·local), stored per vertex as 23 × 3.
        for (int v = 0; v < vertices; v++)
        {
            double p0 = 0, p1 = 0, p2 = 0;
            Span<double> dp = dpositions.Slice(3 * v * (Fingers + 3), 3 * (Fingers + 3));
            dp.Clear();
            ReadOnlySpan<double> position = basePositions.Slice(4 * v, 4);
            for (int bone = 0; bone < bones; bone++)
            {
                double weight = weights[v * bones + bone];
                ReadOnlySpan<double> t = transforms.Slice(16 * bone, 16);
                double q0 = 0, q1 = 0, q2 = 0;
                for (int k = 0; k < 4; k++)
                {
                    q0 += t[k] * position[k];
                    q1 += t[4 + k] * position[k];
                    q2 += t[8 + k] * position[k];
                }

                p0 += q0 * weight;
                p1 += q1 * weight;
                p2 += q2 * weight;
                for (int direction = 0; direction < Fingers; direction++)
                {
                    ReadOnlySpan<double> dt = dtransforms.Slice(16 * (bone * Fingers + direction), 16);
                    dp[3 * direction] += weight * (dt[0] * position[0] + dt[1] * position[1] + dt[2] * position[2] + dt[3] * position[3]);
                    dp[3 * direction + 1] += weight * (dt[4] * position[0] + dt[5] * position[1] + dt[6] * position[2] + dt[7] * position[3]);
                    dp[3 * direction + 2] += weight * (dt[8] * position[0] + dt[9] * position[1] + dt[10] * position[2] + dt[11] * position[3]);
                }
            }

            if (isMirrored)
            {
                p0 = -p0;
                for (int direction = 0; direction < Fingers; direction++)
                {
                    dp[3 * direction] = -dp[3 * direction];
                }
            }

            positions[3 * v] = g[0] * p0 + g[1] * p1 + g[2] * p2 + pose[6];
            positions[3 * v + 1] = g[3] * p0 + g[4] * p1 + g[5] * p2 + pose[7];
            positions[3 * v + 2] = g[6] * p0 + g[7] * p1 + g[8] * p2 + pose[8];
            for (int direction = 0; direction < Fingers; direction++)
            {
                double a = dp[3 * direction], b = dp[3 * direction + 1], c = dp[3 * direction + 2];
                dp[3 * direction] = g[0] * a + g[1] * b + g[2] * c;
                dp[3 * direction + 1] = g[3] * a + g[4] * b + g[5] * c;
                dp[3 * direction + 2] = g[6] * a + g[7] * b + g[8] * c;
            }

            for (int k = 0; k < 3; k++)
            {
                ReadOnlySpan<double> d = dg.Slice(9 * k, 9);
                dp[3 * (Fingers + k)] = d[0] * p0 + d[1] * p1 + d[2] * p2;
                dp[3 * (Fingers + k) + 1] = d[3] * p0 + d[4] * p1 + d[5] * p2;
                dp[3 * (Fingers + k) + 2] = d[6] * p0 + d[7] * p1 + d[8] * p2;
            }
        }

        // Residuals and Jacobian rows: err = point − model, so every column is minus the model's derivative.
        for (int i = 0; i < correspondences.Length; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                Span<double> row = jacobian.Slice((3 * i + j) * columns, columns);
                if (!complicated)
                {
                    int v = correspondences[i];
                    err[3 * i + j] = points[3 * i + j] - positions[3 * v + j];
                    WriteThetaColumns(row[first..], dpositions.Slice(3 * v * (Fingers + 3), 3 * (Fingers + 3)), j, 1, default, 0, default, 0);
                }
                else
                {
                    int t = 3 * correspondences[i];
                    int v0 = triangles[t], v1 = triangles[t + 1], v2 = triangles[t + 2];
                    double u0 = us[2 * i], u1 = us[2 * i + 1], u2 = 1 - u0 - u1;
                    double model = u0 * positions[3 * v0 + j] + u1 * positions[3 * v1 + j] + u2 * positions[3 * v2 + j];
                    err[3 * i + j] = points[3 * i + j] - model;
                    row[0] = -(positions[3 * v0 + j] - positions[3 * v2 + j]);
                    row[1] = -(positions[3 * v1 + j] - positions[3 * v2 + j]);
                    WriteThetaColumns(
                        row[first..], dpositions.Slice(3 * v0 * (Fingers + 3), 3 * (Fingers + 3)), j, u0,
                        dpositions.Slice(3 * v1 * (Fingers + 3), 3 * (Fingers + 3)), u1,
                        dpositions.Slice(3 * v2 * (Fingers + 3), 3 * (Fingers + 3)), u2);
                }
            }
        }

        ArrayPool<double>.Shared.Return(rented);
    }

    /// <summary>Row entries for θ: −Σ (weight·∂vertex/∂θ) in coordinate j; θ3…θ5 (translation) give −δ.</summary>
    private static void WriteThetaColumns(
        Span<double> row, ReadOnlySpan<double> a, int j, double wa, ReadOnlySpan<double> b, double wb, ReadOnlySpan<double> c, double wc)
    {
        for (int k = 0; k < 3; k++)
        {
            double sum = wa * a[3 * (Fingers + k) + j];
            if (!b.IsEmpty)
            {
                sum += wb * b[3 * (Fingers + k) + j] + wc * c[3 * (Fingers + k) + j];
            }

            row[k] = -sum;
            row[3 + k] = j == k ? -(wa + wb + wc) : 0;
        }

        for (int direction = 0; direction < Fingers; direction++)
        {
            double sum = wa * a[3 * direction + j];
            if (!b.IsEmpty)
            {
                sum += wb * b[3 * direction + j] + wc * c[3 * direction + j];
            }

            row[6 + direction] = -sum;
        }
    }

    private static Span<double> Take(Span<double> all, ref int at, int length)
    {
        Span<double> result = all.Slice(at, length);
        at += length;
        return result;
    }

    /// <summary>b·[[r, 0], [0, keep]] for a 4 × 4 b and a 3 × 3 r (the last column b's own, or 0 for a derivative).</summary>
    private static void TimesRotation(ReadOnlySpan<double> b, ReadOnlySpan<double> r, Span<double> result, bool keepTranslation)
    {
        for (int row = 0; row < 4; row++)
        {
            double b0 = b[4 * row], b1 = b[4 * row + 1], b2 = b[4 * row + 2];
            result[4 * row] = b0 * r[0] + b1 * r[3] + b2 * r[6];
            result[4 * row + 1] = b0 * r[1] + b1 * r[4] + b2 * r[7];
            result[4 * row + 2] = b0 * r[2] + b1 * r[5] + b2 * r[8];
            result[4 * row + 3] = keepTranslation ? b[4 * row + 3] : 0;
        }
    }

    private static void Multiply(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> result)
    {
        for (int r = 0; r < 4; r++)
        {
            for (int c = 0; c < 4; c++)
            {
                double sum = 0;
                for (int k = 0; k < 4; k++)
                {
                    sum += a[4 * r + k] * b[4 * k + c];
                }

                result[4 * r + c] = sum;
            }
        }
    }

    private static void MultiplyAdd(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> result)
    {
        for (int r = 0; r < 4; r++)
        {
            for (int c = 0; c < 4; c++)
            {
                double sum = 0;
                for (int k = 0; k < 4; k++)
                {
                    sum += a[4 * r + k] * b[4 * k + c];
                }

                result[4 * r + c] += sum;
            }
        }
    }

    /// <summary>
    /// The angle-axis rotation of pose column 0 with columns scaled by pose column 1, and its derivatives with respect to
    /// the three angle-axis components (9 each): entries as polynomials in the unit axis (x, y, z), s = sin θ and
    /// c = cos θ, with ∂(x, y, z)/∂a = (I − nnᵀ)/θ, ∂s/∂a = c·n, ∂c/∂a = −s·n.
    /// </summary>
    private static void GlobalRotation(ReadOnlySpan<double> pose, Span<double> g, Span<double> dg)
    {
        double a0 = pose[0], a1 = pose[1], a2 = pose[2];
        double norm = Math.Sqrt(a0 * a0 + a1 * a1 + a2 * a2);
        dg.Clear();
        if (norm < 0.0001)
        {
            g.Clear();
            g[0] = g[4] = g[8] = 1;
        }
        else
        {
            double x = a0 / norm, y = a1 / norm, z = a2 / norm;
            double s = Math.Sin(norm), c = Math.Cos(norm), oc = 1 - c;
            g[0] = x * x + (1 - x * x) * c; g[1] = x * y * oc - z * s; g[2] = x * z * oc + y * s;
            g[3] = x * y * oc + z * s; g[4] = y * y + (1 - y * y) * c; g[5] = y * z * oc - x * s;
            g[6] = x * z * oc - y * s; g[7] = z * y * oc + x * s; g[8] = z * z + (1 - z * z) * c;

            // Partials of the nine entries with respect to x, y, z, s, c.
            ReadOnlySpan<double> px = [2 * x * oc, y * oc, z * oc, y * oc, 0, -s, z * oc, s, 0];
            ReadOnlySpan<double> py = [0, x * oc, s, x * oc, 2 * y * oc, z * oc, -s, z * oc, 0];
            ReadOnlySpan<double> pz = [0, -s, x * oc, s, 0, y * oc, x * oc, y * oc, 2 * z * oc];
            ReadOnlySpan<double> ps = [0, -z, y, z, 0, -x, -y, x, 0];
            ReadOnlySpan<double> pc = [1 - x * x, -x * y, -x * z, -x * y, 1 - y * y, -y * z, -x * z, -y * z, 1 - z * z];
            ReadOnlySpan<double> n = [x, y, z];
            for (int k = 0; k < 3; k++)
            {
                double dx = ((k == 0 ? 1 : 0) - x * n[k]) / norm;
                double dy = ((k == 1 ? 1 : 0) - y * n[k]) / norm;
                double dz = ((k == 2 ? 1 : 0) - z * n[k]) / norm;
                double ds = c * n[k], dc = -s * n[k];
                for (int e = 0; e < 9; e++)
                {
                    dg[9 * k + e] = px[e] * dx + py[e] * dy + pz[e] * dz + ps[e] * ds + pc[e] * dc;
                }
            }
        }

        for (int column = 0; column < 3; column++)
        {
            double scale = pose[3 + column];
            for (int row = 0; row < 3; row++)
            {
                g[3 * row + column] *= scale;
                for (int k = 0; k < 3; k++)
                {
                    dg[9 * k + 3 * row + column] *= scale;
                }
            }
        }
    }
}
