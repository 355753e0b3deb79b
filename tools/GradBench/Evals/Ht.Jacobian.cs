using System;

namespace DiffGen.GradBench.Evals;

/// <summary>
/// ht's Jacobian from generated gradients, in two stages so that the expensive part does not repeat per residual:
/// the posed model (<see cref="Posed"/>, 12·bones + 9 numbers, all of θ's work) has its Jacobian D = ∂posed/∂θ built
/// once per call from seeded generated gradients, several entries per sweep where their angles do not overlap
/// (<see cref="PosedJacobian"/>); each residual row is then the generated gradient of
/// <see cref="Residual"/> (cheap: one to three vertices) with respect to θ, us and posed, and its θ part is
/// ∂r/∂θ + (∂r/∂posed)·D. The chain rule between the stages and the sparsity (which angles move which bone) are the
/// hand-written parts; a sparse vector-valued Jacobian (issue #14 item 2) would replace both stages.
/// </summary>
public static partial class Ht
{
    /// <summary>
    /// Residual <paramref name="row"/> (point row / 3, coordinate row % 3) from the posed model: the same arithmetic as
    /// <see cref="Objective"/> for the one to three vertices the row reads.
    /// </summary>
    [Differentiable(nameof(theta), nameof(us), nameof(posed))]
    public static double Residual(
        ReadOnlySpan<double> theta, ReadOnlySpan<double> us, ReadOnlySpan<double> posed,
        ReadOnlySpan<double> basePositions, ReadOnlySpan<double> weights, ReadOnlySpan<int> triangles, bool isMirrored,
        ReadOnlySpan<int> correspondences, ReadOnlySpan<double> points, int row)
    {
        int bones = (posed.Length - 9) / 12;
        int i = row / 3;
        int j = row % 3;
        int g = 12 * bones + 3 * j;
        int corners = us.Length == 0 ? 1 : 3;
        double model = 0;
        for (int t = 0; t < corners; t++)
        {
            int v = us.Length == 0 ? correspondences[i] : triangles[3 * correspondences[i] + t];
            double p0 = 0;
            double p1 = 0;
            double p2 = 0;
            for (int bone = 0; bone < bones; bone++)
            {
                double weight = weights[v * bones + bone];
                int o = 12 * bone;
                double q0 = 0;
                double q1 = 0;
                double q2 = 0;
                for (int k = 0; k < 4; k++)
                {
                    q0 += posed[o + k] * basePositions[4 * v + k];
                    q1 += posed[o + 4 + k] * basePositions[4 * v + k];
                    q2 += posed[o + 8 + k] * basePositions[4 * v + k];
                }

                p0 += q0 * weight;
                p1 += q1 * weight;
                p2 += q2 * weight;
            }

            if (isMirrored)
            {
                p0 = -p0;
            }

            double position = posed[g] * p0 + posed[g + 1] * p1 + posed[g + 2] * p2 + theta[3 + j];
            if (us.Length == 0)
            {
                model = position;
            }
            else if (t == 0)
            {
                model = us[2 * i] * position;
            }
            else if (t == 1)
            {
                model += us[2 * i + 1] * position;
            }
            else
            {
                model += (1 - us[2 * i] - us[2 * i + 1]) * position;
            }
        }

        return points[row] - model;
    }

    /// <summary>
    /// The residuals into <paramref name="err"/> and their Jacobian into <paramref name="jacobian"/> (rows × columns,
    /// row-major; columns ∂/∂(u_i0, u_i1) of the row's own point when <paramref name="us"/> is given, then θ).
    /// <paramref name="d"/> (posed × θ) and the spans after it are scratch: <paramref name="posed"/> and
    /// <paramref name="dposed"/> 12·bones + 9, <paramref name="dtheta"/> θ's length, <paramref name="dus"/> us' length,
    /// <paramref name="span"/> 2(12·bones + 9).
    /// </summary>
    public static void Jacobian(
        ReadOnlySpan<double> theta, ReadOnlySpan<double> us,
        ReadOnlySpan<int> parents, ReadOnlySpan<double> baseRelatives, ReadOnlySpan<double> inverseBaseAbsolutes,
        ReadOnlySpan<double> basePositions, ReadOnlySpan<double> weights, ReadOnlySpan<int> triangles, bool isMirrored,
        ReadOnlySpan<int> correspondences, ReadOnlySpan<double> points,
        Span<double> pose, Span<double> relatives, Span<double> absolutes, Span<double> transforms, Span<double> posed,
        Span<double> d, Span<double> dposed, Span<double> dtheta, Span<double> dus, Span<int> span,
        Span<double> err, Span<double> jacobian)
    {
        int n = theta.Length;
        int entries = posed.Length;
        d.Clear();
        PosedJacobian(theta, parents, baseRelatives, inverseBaseAbsolutes, pose, relatives, absolutes, transforms, posed, d, dposed, dtheta);
        Posed(theta, parents, baseRelatives, inverseBaseAbsolutes, [], pose, relatives, absolutes, transforms, posed);

        // A bone's transform moves with its finger's few angles only: each row of D is nonzero on a short column range
        // (θ it never reads gets exact zeros), and the chain rule below runs over that range alone.
        for (int e = 0; e < entries; e++)
        {
            ReadOnlySpan<double> dRow = d.Slice(e * n, n);
            int first = 0;
            int last = n - 1;
            while (first < n && dRow[first] == 0)
            {
                first++;
            }

            while (last > first && dRow[last] == 0)
            {
                last--;
            }

            span[2 * e] = first;
            span[2 * e + 1] = first < n ? last + 1 : first;
        }

        int offset = us.Length == 0 ? 0 : 2;
        int columns = offset + n;
        for (int row = 0; row < err.Length; row++)
        {
            dtheta.Clear();
            dposed.Clear();
            dus.Clear();
            err[row] = ResidualGradient(
                theta, us, posed, basePositions, weights, triangles, isMirrored, correspondences, points, row, dtheta, dus, dposed);
            Span<double> result = jacobian.Slice(row * columns, columns);
            if (offset == 2)
            {
                result[0] = dus[2 * (row / 3)];
                result[1] = dus[2 * (row / 3) + 1];
            }

            Span<double> byTheta = result[offset..];
            dtheta.CopyTo(byTheta);
            for (int e = 0; e < entries; e++)
            {
                // Bones the row's vertices do not weigh give exact zeros: skip their rows of D.
                double a = dposed[e];
                if (a != 0)
                {
                    ReadOnlySpan<double> dRow = d.Slice(e * n, n);
                    for (int c = span[2 * e]; c < span[2 * e + 1]; c++)
                    {
                        byTheta[c] += a * dRow[c];
                    }
                }
            }
        }
    }

    /// <summary>
    /// D = ∂posed/∂θ into <paramref name="d"/> (zeroed by the caller) by compressed reverse sweeps: a bone's transform
    /// moves only with the angles of its own chain (<see cref="BoneOfTheta"/> of it and its ancestors), the global
    /// rotation only with θ[0…2]. Units (bones, and the rotation) whose angle sets are disjoint share a colour; one
    /// generated gradient of <see cref="Posed"/> seeded with entry r of every unit in a colour gives each unit's row r on
    /// its own angles. The fingers' bones at the same depth share a sweep: 12 sweeps per depth instead of one per entry.
    /// Each sweep poses only the bones up to the colour's last (parents precede children). <paramref name="seed"/>
    /// (posed's length) and <paramref name="g"/> (θ's length) are scratch.
    /// </summary>
    private static void PosedJacobian(
        ReadOnlySpan<double> theta, ReadOnlySpan<int> parents, ReadOnlySpan<double> baseRelatives, ReadOnlySpan<double> inverseBaseAbsolutes,
        Span<double> pose, Span<double> relatives, Span<double> absolutes, Span<double> transforms, Span<double> posed,
        Span<double> d, Span<double> seed, Span<double> g)
    {
        int n = theta.Length;
        int bones = parents.Length;
        int units = bones + 1;

        // Each unit's angles as a bit set (θ has 26 entries); unit `bones` is the global rotation.
        Span<long> angles = stackalloc long[units];
        angles.Clear();
        for (int t = 0; t < n; t++)
        {
            int owner = BoneOfTheta(t);
            for (int bone = 0; bone < bones && owner >= 0; bone++)
            {
                for (int a = bone; a >= 0; a = parents[a])
                {
                    if (a == owner)
                    {
                        angles[bone] |= 1L << t;
                    }
                }
            }
        }

        angles[bones] = 0b111;

        // Greedy colouring; a unit that moves with no angle has zero rows and no colour.
        Span<int> colour = stackalloc int[units];
        Span<long> taken = stackalloc long[units];
        taken.Clear();
        int colours = 0;
        for (int u = 0; u < units; u++)
        {
            colour[u] = -1;
            for (int c = 0; c < units && angles[u] != 0; c++)
            {
                if ((taken[c] & angles[u]) == 0)
                {
                    colour[u] = c;
                    taken[c] |= angles[u];
                    colours = Math.Max(colours, c + 1);
                    break;
                }
            }
        }

        for (int c = 0; c < colours; c++)
        {
            int used = 1;
            for (int u = 0; u < bones; u++)
            {
                if (colour[u] == c)
                {
                    used = u + 1;
                }
            }

            for (int r = 0; r < 12; r++)
            {
                Span<double> s = seed[..(12 * used + 9)];
                s.Clear();
                bool any = false;
                for (int u = 0; u < units; u++)
                {
                    if (colour[u] == c && (u < bones || r < 9))
                    {
                        s[u < bones ? 12 * u + r : 12 * used + r] = 1;
                        any = true;
                    }
                }

                if (!any)
                {
                    continue;
                }

                g.Clear();
                PosedGradient(theta, parents[..used], baseRelatives[..(16 * used)], inverseBaseAbsolutes[..(16 * used)], s, pose, relatives, absolutes, transforms, posed, g);
                for (int u = 0; u < units; u++)
                {
                    if (colour[u] == c && (u < bones || r < 9))
                    {
                        Span<double> row = d.Slice((12 * u + r) * n, n);
                        for (int t = 0; t < n; t++)
                        {
                            if ((angles[u] & (1L << t)) != 0)
                            {
                                row[t] = g[t];
                            }
                        }
                    }
                }
            }
        }
    }
}
