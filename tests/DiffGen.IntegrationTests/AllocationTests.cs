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
}
