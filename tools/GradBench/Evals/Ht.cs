using System;

namespace DiffGen.GradBench.Evals;

/// <summary>
/// gradbench's <c>ht</c> (ADBench's hand tracking): a skinned hand model posed by 26 parameters θ (global rotation as
/// an angle-axis vector, global translation, then per finger a bend and a spread at its base joint and a bend at each
/// of the two others); the residuals are the data points minus the posed model points they correspond to: vertices
/// ("simple", no <c>us</c>) or points inside triangles at barycentric coordinates <c>us</c> ("complicated").
/// </summary>
public static partial class Ht
{
    /// <summary>Pose parameters: 3 rows (x, z, y Euler angles) for global rotation, scale, translation and each bone.</summary>
    public static int PoseColumns(int bones) => bones + 3;

    /// <summary>
    /// The 3·(number of correspondences) residuals into <paramref name="err"/> (point i's x, y, z at 3i…3i+2).
    /// Matrices are row-major 4 × 4 per bone; <paramref name="basePositions"/> is homogeneous (4 per vertex),
    /// <paramref name="weights"/> vertices × bones, <paramref name="triangles"/> 3 vertex indices each, points 3 each.
    /// <paramref name="us"/> is empty for the simple variant, else 2 barycentric coordinates per correspondence.
    /// The other spans are the caller's scratch: pose 3(bones + 3), relatives/absolutes/transforms 16·bones, posed
    /// 12·bones + 9, positions 3·vertices.
    /// </summary>
    public static void Objective(
        ReadOnlySpan<double> theta, ReadOnlySpan<double> us,
        ReadOnlySpan<int> parents, ReadOnlySpan<double> baseRelatives, ReadOnlySpan<double> inverseBaseAbsolutes,
        ReadOnlySpan<double> basePositions, ReadOnlySpan<double> weights, ReadOnlySpan<int> triangles, bool isMirrored,
        ReadOnlySpan<int> correspondences, ReadOnlySpan<double> points,
        Span<double> pose, Span<double> relatives, Span<double> absolutes, Span<double> transforms, Span<double> posed, Span<double> positions,
        Span<double> err)
    {
        int bones = parents.Length;
        int vertices = basePositions.Length / 4;
        Posed(theta, parents, baseRelatives, inverseBaseAbsolutes, [], pose, relatives, absolutes, transforms, posed);
        int g = 12 * bones;
        double g00 = posed[g], g01 = posed[g + 1], g02 = posed[g + 2];
        double g10 = posed[g + 3], g11 = posed[g + 4], g12 = posed[g + 5];
        double g20 = posed[g + 6], g21 = posed[g + 7], g22 = posed[g + 8];
        // Skinning: each vertex is the weighted sum of its homogeneous base position under every bone's transform.
        for (int v = 0; v < vertices; v++)
        {
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

            positions[3 * v] = g00 * p0 + g01 * p1 + g02 * p2 + theta[3];
            positions[3 * v + 1] = g10 * p0 + g11 * p1 + g12 * p2 + theta[4];
            positions[3 * v + 2] = g20 * p0 + g21 * p1 + g22 * p2 + theta[5];
        }

        for (int i = 0; i < correspondences.Length; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                double model;
                if (us.Length == 0)
                {
                    model = positions[3 * correspondences[i] + j];
                }
                else
                {
                    int t = 3 * correspondences[i];
                    double u0 = us[2 * i];
                    double u1 = us[2 * i + 1];
                    model = u0 * positions[3 * triangles[t] + j] + u1 * positions[3 * triangles[t + 1] + j]
                        + (1 - u0 - u1) * positions[3 * triangles[t + 2] + j];
                }

                err[3 * i + j] = points[3 * i + j] - model;
            }
        }
    }

    /// <summary>
    /// The posed model as the skinning reads it, into <paramref name="posed"/> (12·bones + 9): rows 0–2 of each bone's
    /// skinning transform (absolute × inverse base absolute), then the global rotation with its columns scaled. Returns
    /// seed·posed over the seed's length, so that its generated gradient is seedᵀ·∂posed/∂θ (<see cref="Jacobian"/>);
    /// <see cref="Objective"/> passes an empty seed. <paramref name="pose"/> (3(bones + 3)) and
    /// <paramref name="relatives"/>, <paramref name="absolutes"/>, <paramref name="transforms"/> (16·bones each) are the
    /// caller's scratch.
    /// </summary>
    [Differentiable(nameof(theta))]
    public static double Posed(
        ReadOnlySpan<double> theta, ReadOnlySpan<int> parents, ReadOnlySpan<double> baseRelatives, ReadOnlySpan<double> inverseBaseAbsolutes,
        ReadOnlySpan<double> seed, Span<double> pose, Span<double> relatives, Span<double> absolutes, Span<double> transforms, Span<double> posed)
    {
        int bones = parents.Length;

        // Pose parameters, column c at 3c: global rotation, scale 1, translation, then per finger three joints and a
        // skipped fourth; the wrist's two columns stay 0.
        for (int i = 0; i < 3 * (bones + 3); i++)
        {
            pose[i] = 0;
        }

        for (int r = 0; r < 3; r++)
        {
            pose[r] = theta[r];
            pose[3 + r] = 1;
            pose[6 + r] = theta[3 + r];
        }

        int thetaIndex = 6;
        int poseColumn = 5;
        for (int finger = 0; finger < 5; finger++)
        {
            for (int joint = 0; joint < 3; joint++)
            {
                pose[3 * poseColumn] = theta[thetaIndex];
                thetaIndex++;
                if (joint == 0)
                {
                    pose[3 * poseColumn + 1] = theta[thetaIndex];
                    thetaIndex++;
                }

                poseColumn++;
            }

            poseColumn++;
        }

        // Posed relatives: the base relative times the joint's rotation Rz·Ry·Rx (angles x, z, y in the column).
        for (int bone = 0; bone < bones; bone++)
        {
            int column = 3 * (bone + 3);
            double cx = Math.Cos(pose[column]);
            double sx = Math.Sin(pose[column]);
            double cz = Math.Cos(pose[column + 1]);
            double sz = Math.Sin(pose[column + 1]);
            double cy = Math.Cos(pose[column + 2]);
            double sy = Math.Sin(pose[column + 2]);
            double m00 = cz * cy;
            double m01 = -sz * cx + cz * sy * sx;
            double m02 = sz * sx + cz * sy * cx;
            double m10 = sz * cy;
            double m11 = cz * cx + sz * sy * sx;
            double m12 = -cz * sx + sz * sy * cx;
            double m20 = -sy;
            double m21 = cy * sx;
            double m22 = cy * cx;
            int o = 16 * bone;
            for (int r = 0; r < 4; r++)
            {
                double b0 = baseRelatives[o + 4 * r];
                double b1 = baseRelatives[o + 4 * r + 1];
                double b2 = baseRelatives[o + 4 * r + 2];
                relatives[o + 4 * r] = b0 * m00 + b1 * m10 + b2 * m20;
                relatives[o + 4 * r + 1] = b0 * m01 + b1 * m11 + b2 * m21;
                relatives[o + 4 * r + 2] = b0 * m02 + b1 * m12 + b2 * m22;
                relatives[o + 4 * r + 3] = baseRelatives[o + 4 * r + 3];
            }
        }

        // Absolutes down the tree (a parent comes before its children), then the skinning transforms.
        for (int bone = 0; bone < bones; bone++)
        {
            int o = 16 * bone;
            int parent = parents[bone];
            if (parent < 0)
            {
                for (int e = 0; e < 16; e++)
                {
                    absolutes[o + e] = relatives[o + e];
                }
            }
            else
            {
                int p = 16 * parent;
                for (int r = 0; r < 4; r++)
                {
                    for (int c = 0; c < 4; c++)
                    {
                        double sum = 0;
                        for (int k = 0; k < 4; k++)
                        {
                            sum += absolutes[p + 4 * r + k] * relatives[o + 4 * k + c];
                        }

                        absolutes[o + 4 * r + c] = sum;
                    }
                }
            }

            for (int r = 0; r < 4; r++)
            {
                for (int c = 0; c < 4; c++)
                {
                    double sum = 0;
                    for (int k = 0; k < 4; k++)
                    {
                        sum += absolutes[o + 4 * r + k] * inverseBaseAbsolutes[o + 4 * k + c];
                    }

                    transforms[o + 4 * r + c] = sum;
                }
            }
        }

        // Global rotation (angle-axis; the identity below a norm of 1e-4), its columns scaled by the scale column.
        double norm = Math.Sqrt(pose[0] * pose[0] + pose[1] * pose[1] + pose[2] * pose[2]);
        double g00 = 1, g01 = 0, g02 = 0, g10 = 0, g11 = 1, g12 = 0, g20 = 0, g21 = 0, g22 = 1;
        if (norm >= 0.0001)
        {
            double ax = pose[0] / norm;
            double ay = pose[1] / norm;
            double az = pose[2] / norm;
            double s = Math.Sin(norm);
            double c = Math.Cos(norm);
            g00 = ax * ax + (1 - ax * ax) * c;
            g01 = ax * ay * (1 - c) - az * s;
            g02 = ax * az * (1 - c) + ay * s;
            g10 = ax * ay * (1 - c) + az * s;
            g11 = ay * ay + (1 - ay * ay) * c;
            g12 = ay * az * (1 - c) - ax * s;
            g20 = ax * az * (1 - c) - ay * s;
            g21 = az * ay * (1 - c) + ax * s;
            g22 = az * az + (1 - az * az) * c;
        }

        g00 *= pose[3];
        g10 *= pose[3];
        g20 *= pose[3];
        g01 *= pose[4];
        g11 *= pose[4];
        g21 *= pose[4];
        g02 *= pose[5];
        g12 *= pose[5];
        g22 *= pose[5];

        for (int bone = 0; bone < bones; bone++)
        {
            for (int e = 0; e < 12; e++)
            {
                posed[12 * bone + e] = transforms[16 * bone + e];
            }
        }

        int g = 12 * bones;
        posed[g] = g00;
        posed[g + 1] = g01;
        posed[g + 2] = g02;
        posed[g + 3] = g10;
        posed[g + 4] = g11;
        posed[g + 5] = g12;
        posed[g + 6] = g20;
        posed[g + 7] = g21;
        posed[g + 8] = g22;
        double weighted = 0;
        for (int e = 0; e < seed.Length; e++)
        {
            weighted += seed[e] * posed[e];
        }

        return weighted;
    }

    /// <summary>
    /// The bone whose pose column θ[t] sets, as <see cref="Posed"/> fills the columns (finger f's joints at columns
    /// 5 + 4f + joint, bone = column − 3; the base joint takes two angles); −1 for the global parameters θ[0…5].
    /// </summary>
    public static int BoneOfTheta(int t)
    {
        if (t < 6)
        {
            return -1;
        }

        int k = (t - 6) % 4;
        return 2 + 4 * ((t - 6) / 4) + (k < 2 ? 0 : k - 1);
    }
}
