using System;
using Xunit;
using O = DiffGen.Ops;

namespace DiffGen.Tests.Ops;

/// <summary>
/// Zero managed allocation per call after warm-up (the first calls on a thread grow its packing and scratch buffers,
/// and the first two-thread product starts the GEMM helper thread). Measured with
/// <see cref="GC.GetAllocatedBytesForCurrentThread"/>, i.e. on the calling thread; the helper thread only reuses its own
/// packing buffers and the caller's cached work item.
/// </summary>
public class AllocationTests
{
    [Fact]
    public void MatMul_Dot_SoftmaxCrossEntropy_AndPullbacks_AllocateNothing()
    {
        const int m = 64, k = 100, n = 40, classes = 10, batch = 32;
        var rng = new Random(7);
        float[] a = Random(rng, m * k), b = Random(rng, k * n), c = new float[m * n];
        float[] da = new float[m * k], db = new float[k * n], dc = Random(rng, m * n);
        double[] ad = Array.ConvertAll(a, v => (double)v), bd = Array.ConvertAll(b, v => (double)v), cd = new double[m * n];
        double[] dad = new double[m * k], dbd = new double[k * n], dcd = Array.ConvertAll(dc, v => (double)v);
        float[] logits = Random(rng, batch * classes), dlogits = new float[batch * classes];
        double[] logitsD = Array.ConvertAll(logits, v => (double)v), dlogitsD = new double[batch * classes];
        int[] labels = new int[batch];
        for (int i = 0; i < batch; i++)
        {
            labels[i] = rng.Next(classes);
        }

        float sink = 0;
        void RunAll()
        {
            O.MatMul(a, b, c, m, k, n);
            O.MatMulPullback(a, b, c, m, k, n, da, db, dc);
            O.MatMul(ad, bd, cd, m, k, n);
            O.MatMulPullback(ad, bd, cd, m, k, n, dad, dbd, dcd);
            sink += O.Dot(a, a);
            O.DotPullback(a, a, 1f, da, da.AsSpan());
            sink += (float)O.Dot(ad, ad);
            sink += O.SoftmaxCrossEntropy(logits, labels, classes);
            O.SoftmaxCrossEntropyPullback(logits, labels, classes, 1f, dlogits);
            sink += (float)O.SoftmaxCrossEntropy(logitsD, labels, classes);
            O.SoftmaxCrossEntropyPullback(logitsD, labels, classes, 1d, dlogitsD);
        }

        AssertNoAllocation(RunAll);
        Assert.False(float.IsNaN(sink) && float.IsNaN(c[0])); // keep the results observable
    }

    /// <summary>The narrow GEMM path (dot, outer-product and row kernels; a packed and an in-place B) allocates nothing either.</summary>
    [Fact]
    public void NarrowMatMul_AndPullbacks_AllocateNothing()
    {
        var rng = new Random(11);
        (int M, int K, int N)[] shapes = [(64, 784, 10), (64, 784, 16), (64, 10, 200), (64, 8, 300)];
        var runs = new System.Collections.Generic.List<Action>();
        foreach ((int m, int k, int n) in shapes)
        {
            float[] a = Random(rng, m * k), b = Random(rng, k * n), c = new float[m * n];
            float[] da = new float[m * k], db = new float[k * n], dc = Random(rng, m * n);
            double[] ad = Array.ConvertAll(a, v => (double)v), bd = Array.ConvertAll(b, v => (double)v), cd = new double[m * n];
            double[] dad = new double[m * k], dbd = new double[k * n], dcd = Array.ConvertAll(dc, v => (double)v);
            runs.Add(() =>
            {
                O.MatMul(a, b, c, m, k, n);
                O.MatMulPullback(a, b, c, m, k, n, da, db, dc);
                O.MatMul(ad, bd, cd, m, k, n);
                O.MatMulPullback(ad, bd, cd, m, k, n, dad, dbd, dcd);
            });
        }

        AssertNoAllocation(() => runs.ForEach(run => run()));
    }

    [Fact]
    public void ActivationPullbacks_AllocateNothing()
    {
        var rng = new Random(5);
        float[] x = Random(rng, 5000), y = new float[5000], dx = new float[5000], dy = Random(rng, 5000);
        double[] xd = Array.ConvertAll(x, v => (double)v), yd = new double[5000], dxd = new double[5000], dyd = Array.ConvertAll(dy, v => (double)v);
        AssertNoAllocation(() =>
        {
            O.Tanh(x, y);
            O.TanhPullback(x, y, dx, dy);
            O.Sigmoid(x, y);
            O.SigmoidPullback(x, y, dx, dy);
            O.TanhPullback(xd, yd, dxd, dyd);
            O.SigmoidPullback(xd, yd, dxd, dyd);
        });
    }

    [Fact]
    public void ParallelMatMul_AllocatesNothing_OnTheCallingThread()
    {
        const int m = 192, k = 256, n = 256; // 2.5e7 flops: above the two-thread threshold
        Assert.True(Environment.ProcessorCount == 1 || DiffGen.Gemm.GemmKernel.ShouldParallelize(m, n, k));
        var rng = new Random(9);
        float[] a = Random(rng, m * k), b = Random(rng, k * n), c = new float[m * n];
        float[] da = new float[m * k], db = new float[k * n], dc = Random(rng, m * n);
        AssertNoAllocation(() =>
        {
            O.MatMul(a, b, c, m, k, n);
            O.MatMulPullback(a, b, c, m, k, n, da, db, dc);
        });
    }

    /// <summary>The layer ops and pullbacks, including a Conv2D batch split over two threads, allocate nothing on the calling thread.</summary>
    [Fact]
    public void LayerOps_AndPullbacks_AllocateNothing()
    {
        var conv = new DiffGen.Layers.Conv2D(3, 16, 3, 3, 14, 13, stride: 1, padding: 1); // 2.5e6 flops: split over two threads
        var strided = new DiffGen.Layers.Conv2D(2, 4, 2, 3, 9, 8, stride: 2, padding: 1);
        var pool = new DiffGen.Layers.Pool2D(16, 14, 13, 2);
        var fc = new DiffGen.Layers.Linear(pool.OutputSize, 10);
        const int batch = 16;
        var rng = new Random(13);
        float[] x = Random(rng, batch * conv.InputSize), w = Random(rng, conv.WeightLength), b = Random(rng, conv.BiasLength);
        float[] c = new float[batch * conv.OutputSize], p = new float[batch * pool.OutputSize];
        float[] fw = Random(rng, fc.WeightLength), fb = Random(rng, fc.BiasLength), logits = new float[batch * fc.OutFeatures];
        float[] dx = new float[x.Length], dw = new float[w.Length], db = new float[b.Length], dc = new float[c.Length], dp = new float[p.Length];
        float[] dfw = new float[fw.Length], dfb = new float[fb.Length], dlogits = Random(rng, logits.Length), gc = new float[c.Length];
        double[] sx = new double[batch * strided.InputSize], sw = new double[strided.WeightLength], sb = new double[strided.BiasLength];
        double[] sy = new double[batch * strided.OutputSize], sdx = new double[sx.Length], sdw = new double[sw.Length], sdb = new double[sb.Length];
        var norm = new DiffGen.Layers.LayerNorm(pool.OutputSize / 16 * 16 == pool.OutputSize ? 16 : pool.OutputSize);
        float[] ln = Random(rng, norm.Features), lb = Random(rng, norm.Features), dln = new float[norm.Features], dlb = new float[norm.Features], lp = new float[p.Length];
        AssertNoAllocation(() =>
        {
            O.Conv2D(x, w, b, c, conv);
            O.MaxPool2D(c, p, pool);
            O.AvgPool2D(c, p, pool);
            O.Linear(p, fw, fb, logits, fc);
            O.LinearPullback(p, fw, fb, logits, fc, dp, dfw, dfb, dlogits);
            O.MaxPool2DPullback(c, p, pool, dc, dp);
            O.AvgPool2DPullback(c, p, pool, dc, dp);
            O.Conv2DPullback(x, w, b, c, conv, dx, dw, db, dc);
            O.Conv2D(sx, sw, sb, sy, strided);
            O.Conv2DPullback(sx, sw, sb, sy, strided, sdx, sdw, sdb, sy);
            O.Gelu(c, dc);
            O.GeluPullback(c, dc, gc, dc);
            O.LayerNorm(p, ln, lb, lp, norm);
            O.LayerNormPullback(p, ln, lb, lp, norm, dp, dln, dlb, lp);
            O.Dropout(c, dc, new DiffGen.Layers.Dropout(0.25, seed: 3));
            O.DropoutPullback(c, dc, new DiffGen.Layers.Dropout(0.25, seed: 3), gc, dc);
        });
    }

    private static void AssertNoAllocation(Action run)
    {
        for (int i = 0; i < 50; i++)
        {
            run(); // warm-up: per-thread buffers grow, methods tier up
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 20; i++)
        {
            run();
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
    }

    private static float[] Random(Random rng, int length)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = (float)(rng.NextDouble() * 2 - 1);
        }

        return values;
    }
}
