using System.Collections.Generic;
using System;
using System.Linq;
using Xunit;
using static DiffGen.IntegrationTests.GradientCheck;

namespace DiffGen.IntegrationTests;

/// <summary>Code as people write it (issue #13): helpers, objects, out/ref, code without a derivative — against central finite differences (tolerance in <see cref="GradientCheck"/>).</summary>
public class RealCodeTests
{
    [Fact]
    public void NestedHelpersWithEarlyReturns() =>
        Check(
            x => RealCode.HelperChain(x.AsSpan(0, 5), x.AsSpan(5, 5)),
            (x, g) => RealCode.HelperChainGradient(x.AsSpan(0, 5), x.AsSpan(5, 5), g.AsSpan(0, 5), g.AsSpan(5, 5)),
            10,
            sample: (r, i) => i == 0 ? 40 : (r.NextDouble() * 6) - 3); // one z above 30 takes Softplus's early return

    [Fact]
    public void ObjectMembersAndInstanceMethods() =>
        Check(x => RealCode.WithObject(x[0]), (x, g) => RealCode.WithObjectGradient(x[0], ref g[0]), 1);

    [Fact]
    public void OutAndRefParametersOfHelpers() =>
        Check(x => RealCode.Standardized(x), (x, g) => RealCode.StandardizedGradient(x, g), 6);

    [Fact]
    public void CodeWithoutDerivativeRunsOnceAndKeepsTheGradient()
    {
        foreach (int seed in new[] { 1, 7 })
        {
            Check(
                x => RealCode.Sampled(x, seed),
                (x, g) => RealCode.SampledGradient(x, seed, g),
                5,
                sample: (r, _) => 0.5 + r.NextDouble());
        }
    }

    [Fact]
    public void InstanceMethodOfAClass()
    {
        var random = new Random(5);
        double[] features = new double[8 * 3], targets = new double[8];
        for (int i = 0; i < features.Length; i++)
        {
            features[i] = random.NextDouble() - 0.5;
        }

        for (int i = 0; i < targets.Length; i++)
        {
            targets[i] = random.NextDouble();
        }

        var model = new RidgeRegression(features, targets, 0.1);
        Check(x => model.Loss(x), (x, g) => model.LossGradient(x, g), 3);

        // Forward mode and second order of an instance method are instance methods too.
        TangentCheck.Check(x => model.Loss(x), (x, g) => model.LossGradient(x, g), (x, v) => (model.LossPushforward(x, v, out double t), t), 3);
        SecondOrderCheck.Check(
            x => model.Loss(x),
            (x, g) => model.LossGradient(x, g),
            (x, v, hv) => model.LossHessianVectorProduct(x, v, hv),
            (x, h) => model.LossHessian(x, h),
            (x, d) => model.LossHessianDiagonal(x, d),
            (x, p, d) => model.LossHessianDiagonal(x, p, d),
            3);
    }

    [Fact]
    public void InstanceMethodOfAStruct()
    {
        var spring = new Spring { Stiffness = 3, RestLength = 0.7 };
        Check(x => spring.Energy(x[0], x[1]), (x, g) => spring.EnergyGradient(x[0], x[1], ref g[0], ref g[1]), 2);
    }

    [Theory]
    [InlineData(Activation.Tanh)]
    [InlineData(Activation.Relu)]
    [InlineData(Activation.Softplus)]
    public void SwitchStatementOverAnEnum(Activation activation) =>
        Check(x => RealCode.Activate(x[0], activation), (x, g) => RealCode.ActivateGradient(x[0], activation, ref g[0]), 1);

    [Theory]
    [InlineData(-1)]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(7)]
    public void SwitchExpressionWithPatterns(int k) =>
        Check(x => RealCode.Piecewise(x[0], k), (x, g) => RealCode.PiecewiseGradient(x[0], k, ref g[0]), 1, sample: (r, _) => 0.2 + (r.NextDouble() * 2));

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(9)]
    public void DoWhileAndSwitchSections(int mode) =>
        Check(x => RealCode.Iterated(x[0], mode), (x, g) => RealCode.IteratedGradient(x[0], mode, ref g[0]), 1);

    [Fact]
    public void LinqSumsSelectsAndAverages() => Check(x => LinqCode.Moments(x), (x, g) => LinqCode.MomentsGradient(x, g), 6);

    [Fact]
    public void LinqZip() =>
        Check(
            x => LinqCode.CosineSimilarity(x[..4], x[4..]),
            (x, g) =>
            {
                double[] da = new double[4], db = new double[4];
                double value = LinqCode.CosineSimilarityGradient(x[..4], x[4..], da, db);
                for (int i = 0; i < 4; i++)
                {
                    g[i] += da[i];
                    g[4 + i] += db[i];
                }

                return value;
            },
            8);

    [Fact]
    public void LinqMaxMinCount() => Check(x => LinqCode.Spread(x), (x, g) => LinqCode.SpreadGradient(x, g), 5);

    [Fact]
    public void LinqAggregate() => Check(x => LinqCode.Compounded(x), (x, g) => LinqCode.CompoundedGradient(x, g), 5);

    [Fact]
    public void LinqRange() => Check(x => LinqCode.TotalVariation(x), (x, g) => LinqCode.TotalVariationGradient(x, g), 6);

    [Fact]
    public void LinqOverFloatsAccumulatesInDouble()
    {
        float[] xs = { 1.5f, 0.25f, 3.1f, -0.7f };
        float[] gradient = new float[4];
        float value = LinqCode.MeanSquareGradient(xs, gradient);
        Assert.Equal(LinqCode.MeanSquare(xs), value); // the same bits as Enumerable's double accumulation
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal((2 * xs[i] / 4) + 1, gradient[i], 5);
        }
    }

    [Fact]
    public void LinqOfNothingThrowsAsEnumerableDoes()
    {
        double[] gradient = Array.Empty<double>();
        Assert.Throws<InvalidOperationException>(() => LinqCode.SpreadGradient(Array.Empty<double>(), gradient));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void GradientWithRespectToFieldsAndProperties(int label)
    {
        var model = new LogisticModel(4);
        double[] x = { 0.5, -1.2, 0.3, 2.0 };
        Check(
            p =>
            {
                p.AsSpan(0, 4).CopyTo(model.Weights);
                model.Bias = p[4];
                return model.Loss(x, label);
            },
            (p, g) =>
            {
                p.AsSpan(0, 4).CopyTo(model.Weights);
                model.Bias = p[4];
                return model.LossGradient(x, label, g.AsSpan(0, 4), ref g[4]);
            },
            5);
    }

    [Fact]
    public void AnotherGradientOfTheSameModelTakesTheInput()
    {
        var model = new LogisticModel(3);
        new double[] { 0.4, -0.9, 1.3 }.CopyTo(model.Weights);
        model.Bias = 0.2;
        Check(x => model.LossOfInput(x, 1), (x, g) => model.InputGradient(x, 1, g), 3);
    }

    [Fact]
    public void StructWithOperatorsAndMethods() => Check(x => StructCode.PairEnergy(x), (x, g) => StructCode.PairEnergyGradient(x, g), 9);

    [Fact]
    public void RecordStructComplex() =>
        Check(x => StructCode.Iterated(x[0], x[1]), (x, g) => StructCode.IteratedGradient(x[0], x[1], ref g[0], ref g[1]), 2, sample: (r, _) => (r.NextDouble() - 0.5) * 0.8);

    [Fact]
    public void MutableStructCopiedByValue() =>
        Check(x => StructCode.Oscillator(x[0], x[1], x[2]), (x, g) => StructCode.OscillatorGradient(x[0], x[1], x[2], ref g[0], ref g[1], ref g[2]), 3);

    [Fact]
    public void TuplesAndDeconstruction() => Check(x => TupleCode.ZScoreOfLast(x), (x, g) => TupleCode.ZScoreOfLastGradient(x, g), 5);

    [Fact]
    public void DifferentiatedValueSwappedIntoAConstantParameter() =>
        Check(x => TupleCode.SwapIntoConstant(x[0], x[1]), (x, g) => TupleCode.SwapIntoConstantGradient(x[0], x[1], ref g[0]), 2, Mask(2, 1));

    /// <summary>
    /// System.Numerics works in float: the value must match the framework's within float rounding (its Dot may sum in
    /// another order), and the gradient must match central differences of the float function with h = 1e-2 within 2 %
    /// (a wrong sign or factor fails; float rounding does not).
    /// </summary>
    [Fact]
    public void NumericsVector3()
    {
        var random = new Random(3);
        for (int point = 0; point < 5; point++)
        {
            float[] x = Enumerable.Range(0, 6).Select(_ => (float)((random.NextDouble() * 3) - 1.5)).ToArray();
            float[] g = new float[6];
            float value = NumericsCode.SpringEnergyGradient(x[0], x[1], x[2], x[3], x[4], x[5], ref g[0], ref g[1], ref g[2], ref g[3], ref g[4], ref g[5]);
            float expected = NumericsCode.SpringEnergy(x[0], x[1], x[2], x[3], x[4], x[5]);
            Assert.True(Math.Abs(value - expected) <= 1e-5 * Math.Max(1, Math.Abs(expected)), $"value {value} != {expected}");
            for (int i = 0; i < 6; i++)
            {
                float saved = x[i];
                x[i] = saved + 1e-2f;
                double up = NumericsCode.SpringEnergy(x[0], x[1], x[2], x[3], x[4], x[5]);
                x[i] = saved - 1e-2f;
                double down = NumericsCode.SpringEnergy(x[0], x[1], x[2], x[3], x[4], x[5]);
                x[i] = saved;
                double fd = (up - down) / 2e-2;
                Assert.True(Math.Abs(g[i] - fd) <= 2e-2 * Math.Max(1, Math.Abs(fd)), $"d/dx[{i}]: generated {g[i]}, finite difference {fd}");
            }
        }
    }

    [Fact]
    public void ParamsArrays() => Check(x => ParamsCode.PathLength(x), (x, g) => ParamsCode.PathLengthGradient(x, g), 8);

    private static double[][] Rows(int count, int length, int seed)
    {
        var random = new Random(seed);
        var rows = new double[count][];
        for (int i = 0; i < count; i++)
        {
            rows[i] = new double[length];
            for (int j = 0; j < length; j++)
            {
                rows[i][j] = (random.NextDouble() * 2) - 1;
            }
        }

        return rows;
    }

    [Fact]
    public void ArrayOfArraysIndexed()
    {
        double[][] xs = Rows(6, 4, 1);
        double[] ys = Rows(1, 6, 2)[0];
        Check(w => JaggedData.Indexed(w, xs, ys), (w, g) => JaggedData.IndexedGradient(w, xs, ys, g), 4);
    }

    [Fact]
    public void ArrayOfArraysRowLocal()
    {
        double[][] xs = Rows(5, 3, 3);
        double[] ys = Rows(1, 5, 4)[0];
        Check(
            x => JaggedData.RowLocal(x.AsSpan(0, 4), xs, x[4..]),
            (x, g) => JaggedData.RowLocalGradient(x.AsSpan(0, 4), xs, x[4..], g.AsSpan(0, 4), g.AsSpan(4)),
            9);
    }

    [Fact]
    public void ListOfArrays()
    {
        var samples = new System.Collections.Generic.List<double[]>(Rows(4, 3, 8));
        Check(w => JaggedData.ListOfRows(w, samples), (w, g) => JaggedData.ListOfRowsGradient(w, samples, g), 3);
    }

    [Fact]
    public void ArrayOfArraysForEach()
    {
        double[][] xs = Rows(7, 3, 5);
        int[] labels = [1, 0, 0, 1, 1, 0, 1];
        Check(w => JaggedData.ForEachRow(w, xs, labels), (w, g) => JaggedData.ForEachRowGradient(w, xs, labels, g), 3);
    }

    [Fact]
    public void HelpersReturningVectors()
    {
        double[] input = Rows(1, 4, 6)[0];
        var network = new VectorHelpers(0.7);
        foreach (int label in new[] { 0, 2 })
        {
            Check(
                v => network.Loss(v[..20], v[20..25], v[25..40], v[40..43], input, label),
                (v, g) => network.LossGradient(v[..20], v[20..25], v[25..40], v[40..43], input, label, g.AsSpan(0, 20), g.AsSpan(20, 5), g.AsSpan(25, 15), g.AsSpan(40, 3)),
                43);
        }
    }

    [Fact]
    public void HelperReturningAFloatVector()
    {
        float[] w = [0.5f, -2f, 3f];
        float[] g = new float[3];
        float value = VectorHelpers.SumOfSquaresGradient(w, g);
        Assert.Equal(VectorHelpers.SumOfSquares(w), value);
        Assert.Equal(new[] { 1f, -4f, 6f }, g); // 2w exactly
    }

    /// <summary>w is 3 rows of 4, v is ragged (rows of 1, 3 and 2): the flat vector of the check is their rows back to back.</summary>
    private static readonly int[] JaggedShape = [4, 4, 4, 1, 3, 2];

    private static double[][] Split(ReadOnlySpan<double> flat, int from, int count)
    {
        var rows = new double[count][];
        int at = JaggedShape.Take(from).Sum();
        for (int r = 0; r < count; r++)
        {
            rows[r] = flat.Slice(at, JaggedShape[from + r]).ToArray();
            at += JaggedShape[from + r];
        }

        return rows;
    }

    /// <summary>
    /// Copies gradient rows back into the flat gradient of a check, row after row from the start (they were made from
    /// its values, and the generated method added into them), and returns <paramref name="value"/>.
    /// </summary>
    private static double RowsBack(double[] g, double[][] rows, double value)
    {
        int at = 0;
        foreach (double[] row in rows)
        {
            row.CopyTo(g, at);
            at += row.Length;
        }

        return value;
    }

    [Fact]
    public void ArrayOfArraysDifferentiated()
    {
        double[] x = [0.3, -0.7, 1.1, 0.4];
        // Flat layout: w (12), v (6), b (3).
        Check(
            p => JaggedWeights.Layer(Split(p, 0, 3), p[18..], Split(p, 3, 3), x),
            (p, g) =>
            {
                double[][] dw = Split(g, 0, 3), dv = Split(g, 3, 3);
                return RowsBack(g, [.. dw, .. dv], JaggedWeights.LayerGradient(Split(p, 0, 3), p[18..], Split(p, 3, 3), x, dw, g.AsSpan(18), dv));
            },
            21);
    }

    [Fact]
    public void ArrayOfArraysFieldsOfAnObject()
    {
        double[] x = [0.4, -1.2];
        static JaggedNetwork Network(double[] p) => new() { W = [p[0..2], p[2..4], p[4..6]], B = p[6..9], V = [p[9..12]] };
        Check(
            p => Network(p).Loss(x, 0.3),
            (p, g) =>
            {
                double[][] dw = [g[0..2], g[2..4], g[4..6]], dv = [g[9..12]];
                double[] db = g[6..9];
                double value = Network(p).LossGradient(x, 0.3, dw, db, dv);
                double[] added = [.. dw[0], .. dw[1], .. dw[2], .. db, .. dv[0]];
                added.CopyTo(g, 0);
                return value;
            },
            12);
    }

    [Fact]
    public void ArrayOfArraysPushforward()
    {
        double[] x = [0.4, -1.2, 0.7];
        static double[][] Rows2(double[] p) => [p[0..3], p[3..5]];
        TangentCheck.Check(
            p => JaggedWeights.Waves(Rows2(p), x),
            (p, g) =>
            {
                double[][] dw = Rows2(g);
                return RowsBack(g, dw, JaggedWeights.WavesGradient(Rows2(p), x, dw));
            },
            (p, v) => (JaggedWeights.WavesPushforward(Rows2(p), x, Rows2(v), out double tangent), tangent),
            5);
    }

    [Fact]
    public void ArrayOfArraysHandedWholeToAHelper()
    {
        double[] x = [0.4, -1.2, 0.7];
        static double[][] Rows2(double[] p) => [p[0..2], p[2..5]];
        Check(
            p => JaggedWeights.Penalised(Rows2(p), x),
            (p, g) =>
            {
                double[][] dw = Rows2(g);
                return RowsBack(g, dw, JaggedWeights.PenalisedGradient(Rows2(p), x, dw));
            },
            5);
    }

    [Fact]
    public void ArrayOfArraysOfFloats()
    {
        float[][] w = [[0.5f, -2f], [3f]];
        float[][] dw = [[1f, 0f], [0f]];
        float value = JaggedWeights.SquaresGradient(w, dw);
        Assert.Equal(JaggedWeights.Squares(w), value);
        Assert.Equal(new[] { 2f, -4f }, dw[0]); // 1 + 2·0.5 and 0 + 2·(−2): added into
        Assert.Equal(new[] { 6f }, dw[1]);
    }

    [Fact]
    public void ArrayOfArraysGradientOfTheWrongShapeThrows()
    {
        double[][] w = [[1, 2], [3, 4]];
        var error = Assert.Throws<ArgumentException>(() => JaggedWeights.Layer(w, [0, 0], [[1.0]], [1, 1]) + JaggedWeights.LayerGradient(w, [0, 0], [[1.0]], [1, 1], [[0, 0], [0]], new double[2], [[0.0]]));
        Assert.Contains("dw[1]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ClearAndFillBetweenUses() => Check(x => ClearAndFill.Reset(x), (x, g) => ClearAndFill.ResetGradient(x, g), 5);

    [Fact]
    public void ClearOutsideTheArrayThrowsAsTheFrameworkDoes()
    {
        // Three elements: Array.Clear(a, 2, 1) is fine, t.Fill(v[2]) too, and v[3] is outside v.
        Exception expected = Assert.ThrowsAny<Exception>(() => ClearAndFill.Reset(new double[3]));
        Exception actual = Assert.ThrowsAny<Exception>(() => ClearAndFill.ResetGradient(new double[3], new double[3]));
        Assert.Equal(expected.GetType(), actual.GetType());

        // Two elements: Array.Clear(a, 2, 1) ends past the array.
        expected = Assert.ThrowsAny<Exception>(() => ClearAndFill.Reset(new double[2]));
        actual = Assert.ThrowsAny<Exception>(() => ClearAndFill.ResetGradient(new double[2], new double[2]));
        Assert.IsType<IndexOutOfRangeException>(expected);
        Assert.Equal(expected.GetType(), actual.GetType());
    }

    [Fact]
    public void TupleHelperOfASlice() => Check(x => TupleOfSlice.Standardised(x), (x, g) => TupleOfSlice.StandardisedGradient(x, g), 6);

    [Fact]
    public void DataRowsInATwoSweepLoopAllModes()
    {
        double[] x = [0.5, -0.3, 0.8];
        double[][] data = Rows(5, 2, 9);
        Check(w => DataRowsTwoSweeps.Loss(w, x, data), (w, g) => DataRowsTwoSweeps.LossGradient(w, x, data, g), 6);
        TangentCheck.Check(
            w => DataRowsTwoSweeps.Loss(w, x, data),
            (w, g) => DataRowsTwoSweeps.LossGradient(w, x, data, g),
            (w, v) => (DataRowsTwoSweeps.LossPushforward(w, x, data, v, out double tangent), tangent),
            6);

        // H·v against central differences of the gradient along v (h = 1e-5; 1e-6 relative).
        double[] p = Rows(1, 6, 10)[0], direction = Rows(1, 6, 11)[0], hv = new double[6];
        DataRowsTwoSweeps.LossHessianVectorProduct(p, x, data, direction, hv);
        double[] up = new double[6], down = new double[6];
        DataRowsTwoSweeps.LossGradient(p.Select((pi, k) => pi + (1e-5 * direction[k])).ToArray(), x, data, up);
        DataRowsTwoSweeps.LossGradient(p.Select((pi, k) => pi - (1e-5 * direction[k])).ToArray(), x, data, down);
        for (int k = 0; k < 6; k++)
        {
            double fd = (up[k] - down[k]) / 2e-5;
            Assert.True(Math.Abs(hv[k] - fd) <= 1e-6 * Math.Max(1, Math.Abs(fd)), $"H·v[{k}] = {hv[k]}, finite differences {fd}");
        }
    }

    [Fact]
    public void BatchOfSamplesThroughAllocatingHelpers()
    {
        double[][] xs = Rows(5, 3, 12);
        int[] labels = [0, 1, 1, 0, 1];
        static SampleLoopNetwork Network(double[] p) => new() { W1 = p[0..12], B1 = p[12..16], W2 = p[16..24], B2 = p[24..26] };
        Check(
            p => Network(p).BatchLoss(xs, labels),
            (p, g) => Network(p).BatchLossGradient(xs, labels, g.AsSpan(0, 12), g.AsSpan(12, 4), g.AsSpan(16, 8), g.AsSpan(24, 2)),
            26);
    }

    /// <summary>Samples as tuples: a list deconstructed in foreach, an array's members read by index; gradients and tangents.</summary>
    [Fact]
    public void TupleBatches()
    {
        double[][] xs = Rows(4, 3, 21);
        var list = new List<(double[] Features, int Label)>();
        for (int i = 0; i < xs.Length; i++)
        {
            list.Add((xs[i], i % 2));
        }

        (double[] Features, int Label)[] array = list.ToArray();
        double[] weights = [0.5, -1.0, 2.0, 0.25];
        static TupleBatchNetwork Network(double[] p) => new() { W = p[0..6], Bias = p[6..8] };
        Check(p => Network(p).ListLoss(list), (p, g) => Network(p).ListLossGradient(list, g.AsSpan(0, 6), g.AsSpan(6, 2)), 8);
        Check(p => Network(p).ArrayLoss(array, weights), (p, g) => Network(p).ArrayLossGradient(array, weights, g.AsSpan(0, 6), g.AsSpan(6, 2)), 8);
        TangentCheck.Check(
            p => Network(p).ListLoss(list),
            (p, g) => Network(p).ListLossGradient(list, g.AsSpan(0, 6), g.AsSpan(6, 2)),
            (p, v) => (Network(p).ListLossPushforward(list, v.AsSpan(0, 6), v.AsSpan(6, 2), out double tangent), tangent),
            8);
        TangentCheck.Check(
            p => Network(p).ArrayLoss(array, weights),
            (p, g) => Network(p).ArrayLossGradient(array, weights, g.AsSpan(0, 6), g.AsSpan(6, 2)),
            (p, v) => (Network(p).ArrayLossPushforward(array, weights, v.AsSpan(0, 6), v.AsSpan(6, 2), out double tangent), tangent),
            8);
    }

    [Fact]
    public void RecordsDeconstructedInForeach()
    {
        var points = new RecordFit.Point[6];
        for (int i = 0; i < points.Length; i++)
        {
            points[i] = new RecordFit.Point(i * 0.4, Math.Sin(i), "p" + i);
        }

        Check(p => RecordFit.Loss(p[0], p[1], points), (p, g) => RecordFit.LossGradient(p[0], p[1], points, ref g[0], ref g[1]), 2);
    }

    /// <summary>A list of record structs, a LINQ query of them (enumerated once per call: the counter proves it) and a sequence of tuples.</summary>
    [Fact]
    public void ListsOfStructsAndSequences()
    {
        var samples = new List<RecordFit.Sample>();
        for (int i = 0; i < 6; i++)
        {
            samples.Add(new RecordFit.Sample(i * 0.4, Math.Sin(i)));
        }

        Check(p => RecordFit.ListLoss(p[0], p[1], samples), (p, g) => RecordFit.ListLossGradient(p[0], p[1], samples, ref g[0], ref g[1]), 2);

        int enumerations = 0;
        IEnumerable<RecordFit.Sample> Query()
        {
            enumerations++;
            foreach (RecordFit.Sample sample in samples)
            {
                yield return sample;
            }
        }

        Check(p => RecordFit.SequenceLoss(p[0], p[1], Query()), (p, g) => RecordFit.SequenceLossGradient(p[0], p[1], Query(), ref g[0], ref g[1]), 2);
        TangentCheck.Check(
            p => RecordFit.SequenceLoss(p[0], p[1], Query()),
            (p, g) => RecordFit.SequenceLossGradient(p[0], p[1], Query(), ref g[0], ref g[1]),
            (p, v) => (RecordFit.SequenceLossPushforward(p[0], p[1], Query(), v[0], v[1], out double tangent), tangent),
            2);
        enumerations = 0;
        double[] gradient = new double[2];
        RecordFit.SequenceLossGradient(0.5, -0.2, Query(), ref gradient[0], ref gradient[1]);
        Assert.Equal(1, enumerations);

        IEnumerable<(double[] Features, double Target)> rows = Enumerable.Range(0, 4).Select(i => (new[] { Math.Sin(i), Math.Cos(i), 0.5 }, 0.1 * i));
        Check(w => RecordFit.SequenceOfRows(w, rows), (w, g) => RecordFit.SequenceOfRowsGradient(w, rows, g), 3);
    }

    [Fact]
    public void ArraysOfTuplesOfNumbersAsData()
    {
        var samples = new (double T, double Y)[5];
        for (int i = 0; i < samples.Length; i++)
        {
            samples[i] = (i * 0.5, Math.Exp(-0.3 * i));
        }

        Check(p => TupleSamples.Fit(p, samples), (p, g) => TupleSamples.FitGradient(p, samples, g), 2);
        TangentCheck.Check(p => TupleSamples.Fit(p, samples), (p, g) => TupleSamples.FitGradient(p, samples, g), (p, v) => (TupleSamples.FitPushforward(p, samples, v, out double tangent), tangent), 2);
        JacobianCheck.Check(
            (p, r) => TupleSamples.Residuals(p, samples, r),
            (p, v, r, dr) => TupleSamples.ResidualsPushforward(p, samples, r, v, dr),
            (p, r, dr, g) => TupleSamples.ResidualsPullback(p, samples, r, dr, g),
            (p, r, j) => TupleSamples.ResidualsJacobian(p, samples, r, j),
            3,
            samples.Length);
    }

    [Fact]
    public void ArraysOfDataObjectsReadInLoops()
    {
        var batch = new HeldData.Batch { X = Rows(1, 12, 31)[0], Y = [1, 0, 1, 1], Features = 3 };
        Check(w => HeldData.Logistic(w, batch), (w, g) => HeldData.LogisticGradient(w, batch, g), 3);
        var data = new HeldData.Dataset { Rows = Rows(4, 3, 32), Targets = [0.2, -0.4, 0.6, 0.1] };
        Check(w => HeldData.Squares(w, data), (w, g) => HeldData.SquaresGradient(w, data, g), 3);
    }

    [Fact]
    public void HelpersSizingTheirOutputInALocalCalledInALoop() =>
        Check(x => SizedInHelpers.Repeated(x), (x, g) => SizedInHelpers.RepeatedGradient(x, g), 3);

    [Fact]
    public void ValidationStillThrows()
    {
        double[] gradient = Array.Empty<double>();
        var error = Assert.Throws<ArgumentException>(() => RealCode.SampledGradient(ReadOnlySpan<double>.Empty, 3, gradient));
        Assert.Contains("seed 3", error.Message, StringComparison.Ordinal);
    }
}
