using System;

namespace DiffGen.GradBench.Evals;

/// <summary>
/// ht's Jacobian from generated gradients, in two stages so that the expensive part does not repeat per residual:
/// the posed model (<see cref="Posed"/>, 12·bones + 9 numbers, all of θ's work) has its Jacobian D = ∂posed/∂θ built
/// once per call, one generated gradient per entry; each residual row is then the generated gradient of
/// <see cref="Residual"/> (cheap: one to three vertices) with respect to θ, us and posed, and its θ part is
/// ∂r/∂θ + (∂r/∂posed)·D. The chain rule between the stages is the one hand-written step; a vector-valued Jacobian
/// (issue #14 item 2) would replace both stages.
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
        int bones = parents.Length;
        int entries = posed.Length;
        d.Clear();
        for (int e = 0; e < entries; e++)
        {
            // Parents come before their children, so bone b's transform needs bones 0…b only: each sweep poses just
            // those (the global rotation's entries need none, so they come from a one-bone pose at 12…20).
            int used = e < 12 * bones ? e / 12 + 1 : 1;
            int entry = e < 12 * bones ? e : 12 + e - 12 * bones;
            PosedGradient(
                theta, parents[..used], baseRelatives[..(16 * used)], inverseBaseAbsolutes[..(16 * used)], entry,
                pose, relatives, absolutes, transforms, posed, d.Slice(e * n, n));
        }

        Posed(theta, parents, baseRelatives, inverseBaseAbsolutes, 0, pose, relatives, absolutes, transforms, posed);

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
}
