using System;
using System.Numerics;
using Xunit;
using static DiffGen.Tests.Ops.GradientChecker;

namespace DiffGen.Tests.Ops;

/// <summary>
/// Every op's pullback against central finite differences (see <see cref="GradientTolerance"/> for the stated steps and
/// tolerances), on seeded random inputs, odd lengths, spans at offset 1 of larger arrays, float and double, with
/// pre-filled adjoints (accumulation) and untouched output adjoints.
/// </summary>
public class PullbackGradientTests
{
    public static TheoryData<int> Lengths => new() { 1, 7, 17, 1023 };

    /// <summary>(rows, cols) for the row-wise ops: single element, single row, single column, odd, 1023 elements.</summary>
    public static TheoryData<int, int> RowShapes => new() { { 1, 1 }, { 1, 7 }, { 7, 1 }, { 3, 17 }, { 31, 33 } };

    /// <summary>(m, k, n) for MatMul, including ones and non-multiples of every block size.</summary>
    public static TheoryData<int, int, int> MatMulShapes => new() { { 1, 1, 1 }, { 1, 7, 1 }, { 3, 5, 7 }, { 7, 17, 3 }, { 13, 9, 35 } };

    private const double Seed = 0.75;

    private static readonly DiffGen.Layers.Dropout DropoutLayer = new(0.3, seed: 11);

    [Theory, MemberData(nameof(Lengths))] public void Dot_Float(int n) => Dot<float>(n);

    [Theory, MemberData(nameof(Lengths))] public void Dot_Double(int n) => Dot<double>(n);

    [Theory, MemberData(nameof(Lengths))] public void Sum_Float(int n) => Sum<float>(n);

    [Theory, MemberData(nameof(Lengths))] public void Sum_Double(int n) => Sum<double>(n);

    [Theory, MemberData(nameof(Lengths))] public void Relu_Float(int n) => Unary<float>(n, "Relu", OpsOf<float>.Relu, OpsOf<float>.ReluPullback, awayFromZero: true);

    [Theory, MemberData(nameof(Lengths))] public void Relu_Double(int n) => Unary<double>(n, "Relu", OpsOf<double>.Relu, OpsOf<double>.ReluPullback, awayFromZero: true);

    [Theory, MemberData(nameof(Lengths))] public void Sigmoid_Float(int n) => Unary<float>(n, "Sigmoid", OpsOf<float>.Sigmoid, OpsOf<float>.SigmoidPullback);

    [Theory, MemberData(nameof(Lengths))] public void Sigmoid_Double(int n) => Unary<double>(n, "Sigmoid", OpsOf<double>.Sigmoid, OpsOf<double>.SigmoidPullback);

    [Theory, MemberData(nameof(Lengths))] public void Tanh_Float(int n) => Unary<float>(n, "Tanh", OpsOf<float>.Tanh, OpsOf<float>.TanhPullback);

    [Theory, MemberData(nameof(Lengths))] public void Tanh_Double(int n) => Unary<double>(n, "Tanh", OpsOf<double>.Tanh, OpsOf<double>.TanhPullback);

    [Theory, MemberData(nameof(Lengths))] public void Gelu_Float(int n) => Unary<float>(n, "Gelu", OpsOf<float>.Gelu, OpsOf<float>.GeluPullback);

    [Theory, MemberData(nameof(Lengths))] public void Gelu_Double(int n) => Unary<double>(n, "Gelu", OpsOf<double>.Gelu, OpsOf<double>.GeluPullback);

    [Theory, MemberData(nameof(Lengths))] public void Dropout_Float(int n) => Unary<float>(n, "Dropout", (x, y) => OpsOf<float>.Dropout(x, y, DropoutLayer), (x, y, dx, dy) => OpsOf<float>.DropoutPullback(x, y, DropoutLayer, dx, dy));

    [Theory, MemberData(nameof(Lengths))] public void Dropout_Double(int n) => Unary<double>(n, "Dropout", (x, y) => OpsOf<double>.Dropout(x, y, DropoutLayer), (x, y, dx, dy) => OpsOf<double>.DropoutPullback(x, y, DropoutLayer, dx, dy));

    [Theory, MemberData(nameof(Lengths))] public void LogSumExp_Float(int n) => LogSumExp<float>(n);

    [Theory, MemberData(nameof(Lengths))] public void LogSumExp_Double(int n) => LogSumExp<double>(n);

    [Theory, MemberData(nameof(Lengths))] public void Mse_Float(int n) => Mse<float>(n);

    [Theory, MemberData(nameof(Lengths))] public void Mse_Double(int n) => Mse<double>(n);

    [Theory, MemberData(nameof(RowShapes))] public void Softmax_Float(int rows, int cols) => Softmax<float>(rows, cols);

    [Theory, MemberData(nameof(RowShapes))] public void Softmax_Double(int rows, int cols) => Softmax<double>(rows, cols);

    [Theory, MemberData(nameof(RowShapes))] public void SoftmaxCrossEntropy_Float(int rows, int cols) => SoftmaxCrossEntropy<float>(rows, cols);

    [Theory, MemberData(nameof(RowShapes))] public void SoftmaxCrossEntropy_Double(int rows, int cols) => SoftmaxCrossEntropy<double>(rows, cols);

    [Theory, MemberData(nameof(RowShapes))] public void AddBias_Float(int rows, int cols) => AddBias<float>(rows, cols);

    [Theory, MemberData(nameof(RowShapes))] public void AddBias_Double(int rows, int cols) => AddBias<double>(rows, cols);

    [Theory, MemberData(nameof(RowShapes))] public void MatVec_Float(int rows, int cols) => MatVec<float>(rows, cols);

    [Theory, MemberData(nameof(RowShapes))] public void MatVec_Double(int rows, int cols) => MatVec<double>(rows, cols);

    [Theory, MemberData(nameof(MatMulShapes))] public void MatMul_Float(int m, int k, int n) => MatMul<float>(m, k, n);

    [Theory, MemberData(nameof(MatMulShapes))] public void MatMul_Double(int m, int k, int n) => MatMul<double>(m, k, n);

    private static Random Rng(string op, params int[] shape) => new(HashCode.Combine(op.Length, op[0], shape.Length > 0 ? shape[0] : 0, shape.Length > 1 ? shape[1] : 0, shape.Length > 2 ? shape[2] : 0));

    private static void Dot<T>(int n)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Random rng = Rng("Dot", n);
        TestBuffer<T> x = TestBuffer<T>.Random(rng, n), y = TestBuffer<T>.Random(rng, n);
        TestBuffer<T> dx = TestBuffer<T>.Random(rng, n), dy = TestBuffer<T>.Random(rng, n);
        Check($"Dot n={n}", [x, y], [dx, dy],
            () => Seed * double.CreateTruncating(OpsOf<T>.Dot(x.Span, y.Span)),
            () => OpsOf<T>.DotPullback(x.Span, y.Span, T.CreateTruncating(Seed), dx.Span, dy.Span));
    }

    private static void Sum<T>(int n)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Random rng = Rng("Sum", n);
        TestBuffer<T> x = TestBuffer<T>.Random(rng, n), dx = TestBuffer<T>.Random(rng, n);
        Check($"Sum n={n}", [x], [dx],
            () => Seed * double.CreateTruncating(OpsOf<T>.Sum(x.Span)),
            () => OpsOf<T>.SumPullback(x.Span, T.CreateTruncating(Seed), dx.Span));
    }

    private static void Unary<T>(
        int n, string name, Action<ReadOnlySpan<T>, Span<T>> primal, Action<ReadOnlySpan<T>, Span<T>, Span<T>, ReadOnlySpan<T>> pullback, bool awayFromZero = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Random rng = Rng(name, n);

        // ReLU has a kink at 0: keep |x| ≥ 0.1, well beyond the largest finite-difference step (0.02 for float).
        TestBuffer<T> x = awayFromZero ? TestBuffer<T>.AwayFromZero(rng, n, 0.1) : TestBuffer<T>.Random(rng, n, -3, 3);
        TestBuffer<T> y = new(n), dx = TestBuffer<T>.Random(rng, n), dy = TestBuffer<T>.Random(rng, n);
        TestBuffer<T> dyCopy = dy.Clone();
        Check($"{name} n={n}", [x], [dx],
            () =>
            {
                primal(x.Span, y.Span);
                return WeightedSum(y, dy);
            },
            () => pullback(x.Span, y.Span, dx.Span, dy.Span));
        Assert.Equal(dyCopy.ToDoubles(), dy.ToDoubles());
        y.AssertGuardsIntact($"{name}: y");
    }

    private static void LogSumExp<T>(int n)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Random rng = Rng("LogSumExp", n);
        TestBuffer<T> x = TestBuffer<T>.Random(rng, n, -4, 4), dx = TestBuffer<T>.Random(rng, n);
        Check($"LogSumExp n={n}", [x], [dx],
            () => Seed * double.CreateTruncating(OpsOf<T>.LogSumExp(x.Span)),
            () => OpsOf<T>.LogSumExpPullback(x.Span, T.CreateTruncating(Seed), dx.Span));
    }

    private static void Mse<T>(int n)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Random rng = Rng("Mse", n);
        TestBuffer<T> p = TestBuffer<T>.Random(rng, n), t = TestBuffer<T>.Random(rng, n);
        TestBuffer<T> dp = TestBuffer<T>.Random(rng, n), dt = TestBuffer<T>.Random(rng, n);
        Check($"Mse n={n}", [p, t], [dp, dt],
            () => Seed * double.CreateTruncating(OpsOf<T>.Mse(p.Span, t.Span)),
            () => OpsOf<T>.MsePullback(p.Span, t.Span, T.CreateTruncating(Seed), dp.Span, dt.Span));
    }

    private static void Softmax<T>(int rows, int cols)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Random rng = Rng("Softmax", rows, cols);
        int n = rows * cols;
        TestBuffer<T> x = TestBuffer<T>.Random(rng, n, -3, 3), y = new(n);
        TestBuffer<T> dx = TestBuffer<T>.Random(rng, n), dy = TestBuffer<T>.Random(rng, n);
        TestBuffer<T> dyCopy = dy.Clone();
        Check($"Softmax {rows}x{cols}", [x], [dx],
            () =>
            {
                OpsOf<T>.Softmax(x.Span, y.Span, cols);
                return WeightedSum(y, dy);
            },
            () => OpsOf<T>.SoftmaxPullback(x.Span, y.Span, cols, dx.Span, dy.Span));
        Assert.Equal(dyCopy.ToDoubles(), dy.ToDoubles());
    }

    private static void SoftmaxCrossEntropy<T>(int rows, int classes)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Random rng = Rng("SoftmaxCrossEntropy", rows, classes);
        int n = rows * classes;
        TestBuffer<T> logits = TestBuffer<T>.Random(rng, n, -3, 3), dlogits = TestBuffer<T>.Random(rng, n);
        int[] labels = new int[rows + 1];
        for (int r = 0; r < labels.Length; r++)
        {
            labels[r] = rng.Next(classes);
        }

        ReadOnlySpan<int> Labels() => labels.AsSpan(1, rows);
        Check($"SoftmaxCrossEntropy {rows}x{classes}", [logits], [dlogits],
            () => Seed * double.CreateTruncating(OpsOf<T>.SoftmaxCrossEntropy(logits.Span, Labels(), classes)),
            () => OpsOf<T>.SoftmaxCrossEntropyPullback(logits.Span, Labels(), classes, T.CreateTruncating(Seed), dlogits.Span));
    }

    private static void AddBias<T>(int rows, int cols)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Random rng = Rng("AddBias", rows, cols);
        int n = rows * cols;
        TestBuffer<T> x = TestBuffer<T>.Random(rng, n), bias = TestBuffer<T>.Random(rng, cols), y = new(n);
        TestBuffer<T> dx = TestBuffer<T>.Random(rng, n), dbias = TestBuffer<T>.Random(rng, cols), dy = TestBuffer<T>.Random(rng, n);
        Check($"AddBias {rows}x{cols}", [x, bias], [dx, dbias],
            () =>
            {
                OpsOf<T>.AddBias(x.Span, bias.Span, y.Span);
                return WeightedSum(y, dy);
            },
            () => OpsOf<T>.AddBiasPullback(x.Span, bias.Span, y.Span, dx.Span, dbias.Span, dy.Span));
    }

    private static void MatVec<T>(int rows, int cols)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Random rng = Rng("MatVec", rows, cols);
        TestBuffer<T> a = TestBuffer<T>.Random(rng, rows * cols), x = TestBuffer<T>.Random(rng, cols), y = new(rows);
        TestBuffer<T> da = TestBuffer<T>.Random(rng, rows * cols), dx = TestBuffer<T>.Random(rng, cols), dy = TestBuffer<T>.Random(rng, rows);
        Check($"MatVec {rows}x{cols}", [a, x], [da, dx],
            () =>
            {
                OpsOf<T>.MatVec(a.Span, x.Span, y.Span, rows, cols);
                return WeightedSum(y, dy);
            },
            () => OpsOf<T>.MatVecPullback(a.Span, x.Span, y.Span, rows, cols, da.Span, dx.Span, dy.Span));
    }

    private static void MatMul<T>(int m, int k, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Random rng = Rng("MatMul", m, k, n);
        TestBuffer<T> a = TestBuffer<T>.Random(rng, m * k), b = TestBuffer<T>.Random(rng, k * n), c = new(m * n);
        TestBuffer<T> da = TestBuffer<T>.Random(rng, m * k), db = TestBuffer<T>.Random(rng, k * n), dc = TestBuffer<T>.Random(rng, m * n);
        TestBuffer<T> dcCopy = dc.Clone();
        Check($"MatMul {m}x{k}x{n}", [a, b], [da, db],
            () =>
            {
                OpsOf<T>.MatMul(a.Span, b.Span, c.Span, m, k, n);
                return WeightedSum(c, dc);
            },
            () => OpsOf<T>.MatMulPullback(a.Span, b.Span, c.Span, m, k, n, da.Span, db.Span, dc.Span));
        Assert.Equal(dcCopy.ToDoubles(), dc.ToDoubles());
        c.AssertGuardsIntact("MatMul: c");
    }
}
