using System;

namespace DiffGen;

public static partial class Ops
{
    /// <summary>Throws unless <paramref name="actual"/> (the length of <paramref name="name"/>) equals <paramref name="expected"/>.</summary>
    private static void CheckLength(int actual, int expected, string name, string expectedDescription)
    {
        if (actual != expected)
        {
            throw new ArgumentException(
                $"{name}.Length is {actual} but must be {expectedDescription} = {expected}.", name);
        }
    }

    /// <summary>Throws unless <paramref name="actual"/> equals <paramref name="f1"/>·<paramref name="f2"/> (message built only on failure).</summary>
    private static void CheckProductLength(int actual, string name, int f1, string f1Name, int f2, string f2Name)
    {
        long expected = (long)f1 * f2;
        if (actual != expected)
        {
            throw new ArgumentException(
                $"{name}.Length is {actual} but must be {f1Name}·{f2Name} = {f1}·{f2} = {expected}.", name);
        }
    }

    /// <summary>
    /// An input adjoint is either empty (the generator does not need it: skip that work) or as long as its primal.
    /// </summary>
    private static bool NeedsAdjoint(int expected, string expectedName, int actual, string name)
    {
        if (actual == 0 && expected != 0)
        {
            return false;
        }

        CheckSameLength(expected, expectedName, actual, name);
        return true;
    }

    private static void CheckSameLength(int expected, string expectedName, int actual, string name)
    {
        if (actual != expected)
        {
            throw new ArgumentException(
                $"{name}.Length is {actual} but must equal {expectedName}.Length = {expected}.", name);
        }
    }

    private static void CheckNonNegative(int value, string name)
    {
        if (value < 0)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must not be negative.");
        }
    }

    private static void CheckPositive(int value, string name)
    {
        if (value <= 0)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be positive.");
        }
    }

    /// <summary>Checks that <paramref name="length"/> is a whole number of rows of <paramref name="cols"/> and returns the row count.</summary>
    private static int RowsOf(int length, string name, int cols, string colsName)
    {
        CheckPositive(cols, colsName);
        if (length % cols != 0)
        {
            throw new ArgumentException(
                $"{name}.Length is {length}, which is not a multiple of {colsName} = {cols}.", name);
        }

        return length / cols;
    }

    private static void CheckNoOverlap<T>(ReadOnlySpan<T> output, string outputName, ReadOnlySpan<T> input, string inputName)
    {
        if (output.Overlaps(input))
        {
            throw new ArgumentException($"{outputName} must not overlap {inputName}.", outputName);
        }
    }
}
