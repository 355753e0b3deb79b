using System;
using DiffGen.CompilerServices;
using Xunit;

namespace DiffGen.Tests;

/// <summary>The tape generated gradients record on: last in, first out, whole vectors and their first elements.</summary>
public class TapeTests
{
    [Fact]
    public void PopsInReverseOrder()
    {
        Tape<double> tape = default;
        tape.Push(1);
        tape.PushRange(new double[] { 2, 3 });
        tape.Push(4);
        var back = new double[2];
        Assert.Equal(4, tape.Pop());
        tape.PopRange(back);
        Assert.Equal(new double[] { 2, 3 }, back);
        Assert.Equal(1, tape.Pop());
        tape.Dispose();
    }

    /// <summary>A partial push takes the first count elements; one past the vector's length takes all, one not positive none.</summary>
    [Theory]
    [InlineData(2, new double[] { 7, 8, 3, 4 })]
    [InlineData(9, new double[] { 7, 8, 9, 10 })]
    [InlineData(0, new double[] { 1, 2, 3, 4 })]
    [InlineData(-3, new double[] { 1, 2, 3, 4 })]
    public void PartialRangesComeBackAsPushed(int count, double[] restored)
    {
        Tape<double> tape = default;
        tape.Push(-1);
        double[] vector = { 7, 8, 9, 10 };
        tape.PushRange(vector, count);
        double[] overwritten = { 1, 2, 3, 4 };
        tape.PopRange(overwritten, count);
        Assert.Equal(restored, overwritten);
        Assert.Equal(-1, tape.Pop());
        tape.Dispose();
    }

    /// <summary>
    /// Slots written in place come back in reverse order as written, also when later pushes grew the tape (the values
    /// move with it); each slot is written after it was handed out, as a generated iteration does.
    /// </summary>
    [Fact]
    public void SlotsComeBackAsWrittenAcrossGrowth()
    {
        Tape<double> tape = default;
        const int length = 7, iterations = 300; // 2 100 values: the tape grows from 256 several times
        for (int t = 0; t < iterations; t++)
        {
            Span<double> slot = tape.PushSlot(length);
            Assert.Equal(length, slot.Length);
            for (int j = 0; j < length; j++)
            {
                slot[j] = t * 100 + j;
            }
        }

        Assert.Equal(length * iterations, tape.Count);
        for (int t = iterations - 1; t >= 0; t--)
        {
            Span<double> slot = tape.PopSlot(length);
            for (int j = 0; j < length; j++)
            {
                Assert.Equal(t * 100 + j, slot[j]);
            }
        }

        Assert.Equal(0, tape.Count);
        Assert.Throws<InvalidOperationException>(() =>
        {
            Tape<double> empty = default;
            empty.PopSlot(1);
        });
        tape.Dispose();
    }
}
