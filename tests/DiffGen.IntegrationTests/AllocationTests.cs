using System;
using Xunit;
using F = DiffGen.IntegrationTests.Functions;

namespace DiffGen.IntegrationTests;

/// <summary>Gradient calls allocate nothing on the heap once the shared pools are warm (tapes and adjoint buffers are pooled).</summary>
public class AllocationTests
{
    [Fact]
    public void ScalarGradientAllocatesNothing()
    {
        double dx = 0, dy = 0;
        F.RosenbrockGradient(0.5, 0.5, ref dx, ref dy);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            F.RosenbrockGradient(0.5 + i, 0.5, ref dx, ref dy);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void TapedLoopsCallsAndPooledBuffersAllocateNothing()
    {
        double[] v = { 0.3, -0.2, 0.9, 0.1, -0.7, 0.4 };
        double[] dv = new double[v.Length];
        double[] w1 = new double[6], b1 = new double[3], w2 = new double[3], x = { 0.2, -0.4 };
        double[] dw1 = new double[6], db1 = new double[3], dw2 = new double[3];
        double db2 = 0, dx = 0;

        void Calls()
        {
            F.HornerGradient(v, 0.7, dv, ref dx);
            F.BreakLoopGradient(v, dv);
            F.EarlyReturnGradient(0.3, v, ref dx, dv);
            F.PrefixSumsGradient(v, dv);
            F.CallInLoopGradient(v, dv);
            F.TinyMlpGradient(w1, b1, w2, 0.1, x, 0.5, dw1, db1, dw2, ref db2);
            F.RecurrentStateGradient(v, 0.5, 0.3, dv, ref dx, ref db2);
            F.NestedBreakContinueGradient(v, dv);
        }

        Calls();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 200; i++)
        {
            Calls();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void ForwardSecondOrderAndJacobiansAllocateNothing()
    {
        double[] v = { 0.3, -0.2, 0.9, 0.1, -0.7, 0.4 };
        double[] tangent = { 1, 0.5, -0.25, 0.125, 0, 2 };
        double[] hv = new double[v.Length];
        double[] hessian = new double[v.Length * v.Length];
        double[] diagonal = new double[v.Length];
        SparsityPattern pattern = SparsityPattern.Diagonal(v.Length + 1);
        double[] diagonalWithX = new double[v.Length + 1];
        double[] w1 = new double[6], b1 = new double[3], w2 = new double[3], x = { 0.2, -0.4 };
        double[] y = new double[4], dy = new double[4], jacobian = new double[16], gradient = new double[6];
        // (Softmax and LocalArray allocate a vector in their own body: they are left out.)
        double[] curve = new double[3], curveJacobian = new double[6];
        double hx = 0;

        void Calls()
        {
            F.HornerPushforward(v, 0.7, tangent, 1, out double t1);
            F.HornerPushforward(v, 0.7, ReadOnlySpan<double>.Empty, 1, out double t2);
            F.PrefixSumsPushforward(v, tangent, out double t3);
            F.CallInLoopPushforward(v, tangent, out double t4);
            F.TinyMlpPushforward(w1, b1, w2, 0.1, x, 0.5, w1, b1, w2, 1, out double t6);
            F.LogSumExpHessianVectorProduct(v, tangent, hv);
            F.HornerHessianVectorProduct(v, 0.7, tangent, 1, hv, ref hx);
            F.LogSumExpHessian(v, hessian);
            F.LogSumExpHessianDiagonal(v, diagonal);
            F.HornerHessianDiagonal(v, 0.7, pattern, diagonalWithX);
            VectorFunctions.BlocksPushforward(v.AsSpan(0, 3), v.AsSpan(3, 2), 0.5, y.AsSpan(0, 2), tangent.AsSpan(0, 3), tangent.AsSpan(3, 2), 1, dy.AsSpan(0, 2));
            VectorFunctions.BlocksPullback(v.AsSpan(0, 3), v.AsSpan(3, 2), 0.5, y.AsSpan(0, 2), dy.AsSpan(0, 2), gradient.AsSpan(0, 3), gradient.AsSpan(3, 2), ref hx);
            VectorFunctions.BlocksJacobian(v.AsSpan(0, 3), v.AsSpan(3, 2), 0.5, y.AsSpan(0, 2), jacobian.AsSpan(0, 12));
            VectorFunctions.CurveJacobian(0.3, 0.4, curve, curveJacobian);
        }

        Calls();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 200; i++)
        {
            Calls();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void NestedDerivativesAllocateNothing()
    {
        double sink = 0;

        void Calls()
        {
            double dp = 0, dq = 0;
            NestedFunctions.OfGradientGradient(0.3, -0.4, ref dp, ref dq);
            NestedFunctions.OfPushforwardGradient(0.3, -0.4, ref dp, ref dq);
            NestedFunctions.OfPullbackGradient(0.3, -0.4, ref dp, ref dq);
            NestedFunctions.TrajectoryGradient(1.0, 1.5, ref dp, ref dq);
            NestedFunctions.OfGradientPushforward(0.3, -0.4, 1, 0.5, out double t1);
            NestedFunctions.OfPushforwardPushforward(0.3, -0.4, 1, 0.5, out double t2);
            NestedFunctions.OfPullbackPushforward(0.3, -0.4, 1, 0.5, out double t3);
            NestedFunctions.TrajectoryPushforward(1.0, 1.5, 1, 0.5, out double t4);
            sink += dp + dq + t1 + t2 + t3 + t4;
        }

        Calls();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 200; i++)
        {
            Calls();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(double.IsFinite(sink));
    }
}
