using System;

namespace DiffGen.GradBench.Evals;

/// <summary>
/// gradbench's <c>det</c> (cmpad's <c>det_by_minor</c>): the determinant of an ℓ × ℓ matrix by expansion by minors
/// along the first row of each minor, recursively down to 1 × 1 minors.
/// </summary>
public static partial class Det
{
    /// <summary>
    /// det A (row-major ℓ × ℓ) by expansion by minors. The generator refuses recursion (DG0014), so the recursion runs on
    /// an explicit stack: level r is the minor of rows r…ℓ−1 and the columns not chosen above it; <c>column[r]</c> is the
    /// column its current term expands along (−1 before the first), <c>sign[r]</c> that term's sign (alternating over the
    /// minor's columns), <c>sum[r]</c> the minor's running determinant. A 2 × 2 minor's sub-minors are single elements;
    /// a finished level adds ±a(r − 1, column)·det(minor) into the level above, as the recursive form does.
    /// </summary>
    [Differentiable(nameof(a))]
    public static double Primal(ReadOnlySpan<double> a, int ell)
    {
        if (ell == 1)
        {
            return a[0];
        }

        Span<int> column = stackalloc int[ell];
        Span<int> used = stackalloc int[ell];
        Span<int> sign = stackalloc int[ell];
        Span<double> sum = stackalloc double[ell];
        for (int c = 0; c < ell; c++)
        {
            used[c] = 0;
        }

        int level = 0;
        column[0] = -1;
        sign[0] = -1;
        sum[0] = 0;
        while (level >= 0)
        {
            // Release this level's previous column and find its next unused one.
            if (column[level] >= 0)
            {
                used[column[level]] = 0;
            }

            int next = column[level] + 1;
            while (next < ell && used[next] != 0)
            {
                next++;
            }

            if (next == ell)
            {
                // This minor is done: its determinant times its element goes into the level above.
                if (level > 0)
                {
                    sum[level - 1] += sign[level - 1] * (a[(level - 1) * ell + column[level - 1]] * sum[level]);
                }

                level--;
            }
            else
            {
                column[level] = next;
                sign[level] = -sign[level];
                used[next] = 1;
                if (level + 2 == ell)
                {
                    // The sub-minor is 1 × 1: the one column left.
                    int last = 0;
                    while (used[last] != 0)
                    {
                        last++;
                    }

                    sum[level] += sign[level] * (a[level * ell + next] * a[(level + 1) * ell + last]);
                }
                else
                {
                    level++;
                    column[level] = -1;
                    sign[level] = -1;
                    sum[level] = 0;
                }
            }
        }

        return sum[0];
    }
}
